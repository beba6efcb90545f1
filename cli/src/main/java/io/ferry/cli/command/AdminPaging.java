package io.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ferry.protocol.Protocol;
import java.net.URI;

/** Reads a list of the admin API page by page, following {@code nextLink}, up to a limit. */
final class AdminPaging {

  /** Items the relay hands out per request at most. */
  static final int PAGE = 200;

  private AdminPaging() {}

  /** The {@code value} items of {@code firstPath} and the pages after it, at most {@code limit}. */
  static ArrayNode values(AdminClient client, String firstPath, int limit) {
    ArrayNode all = Protocol.json().createArrayNode();
    String next = firstPath;
    while (next != null && all.size() < limit) {
      JsonNode page = client.get(next);
      for (JsonNode item : page.path("value")) {
        if (all.size() < limit) {
          all.add(item);
        }
      }
      next = page.hasNonNull("nextLink") ? pathOf(page.get("nextLink").asText()) : null;
    }
    return all;
  }

  /** The relay's absolute nextLink as a path for the client, which talks to the configured relay. */
  static String pathOf(String link) {
    URI uri = URI.create(link);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  /** A path segment from the command line: an id has letters and digits only, anything else is refused here. */
  static String id(String what, String value) {
    String v = value == null ? "" : value.strip();
    if (!v.matches("[0-9A-Za-z]{26}")) {
      throw new UserFacingException(ExitCode.USAGE, what + " must be a 26-character id such as "
          + "01JC0000000000000000000000, was '" + value + "'");
    }
    return v.toUpperCase(java.util.Locale.ROOT);
  }
}
