package io.ferry.agent.odata;

import io.ferry.agent.handler.JobRefused;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The resource path of a generic OData request, checked before anything is sent: below the service root, without
 * a way out of it — no {@code ..}, no empty segment ({@code //}), no absolute URL, no encoded slash or backslash.
 */
final class ODataPaths {

  static final String METADATA = "$metadata";

  private ODataPaths() {}

  /** The path's segments, as the engine encoded them. */
  static List<String> segments(String path) throws JobRefused {
    if (path == null || path.isBlank()) {
      throw JobRefused.invalid("an OData request names its resource path below the service root (path), such as "
          + "A_BusinessPartner or $metadata");
    }
    String p = path.strip();
    String lower = p.toLowerCase(Locale.ROOT);
    if (lower.contains("://") || p.startsWith("/") || p.contains("\\") || p.contains("?") || p.contains("#")) {
      throw refused(path, "it must be a path below the service root, without leading slash, query or host");
    }
    if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%2e") || lower.contains("%00")) {
      throw refused(path, "encoded slashes, backslashes and dots are not allowed");
    }
    if (p.contains("//") || p.endsWith("/")) {
      throw refused(path, "it has an empty segment");
    }
    List<String> segments = Arrays.asList(p.split("/"));
    if (segments.get(0).startsWith("$") && !(segments.size() == 1 && segments.get(0).equals(METADATA))) {
      // $batch would carry requests of its own past the entity-set allowlist; the others address no entity set.
      throw refused(path, "it must start with an entity set (or be $metadata); " + segments.get(0)
          + " is not supported");
    }
    for (String s : segments) {
      if (s.equals("..") || s.equals(".") || s.isEmpty()) {
        throw refused(path, "'" + s + "' leaves the service");
      }
      for (char c : s.toCharArray()) {
        if (c < 0x21 || c == 0x7f) {
          throw refused(path, "it contains a space or control character; URL-encode key values");
        }
      }
    }
    return List.copyOf(segments);
  }

  /** The entity set a path addresses: its first segment without the key predicate. */
  static String entitySet(List<String> segments) {
    String first = segments.get(0);
    int paren = first.indexOf('(');
    return paren < 0 ? first : first.substring(0, paren);
  }

  static boolean isMetadata(List<String> segments) {
    return segments.size() == 1 && segments.get(0).equals(METADATA);
  }

  private static JobRefused refused(String path, String why) {
    return JobRefused.invalid("the OData path '" + path + "' is refused: " + why);
  }
}
