package io.ferry.agent.sap.odata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Makes Gateway's links relative to the service root, so that SAP's host never leaves the agent: the relay turns
 * them into links of its own. {@code http://s4:8000/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner('1')}
 * becomes {@code A_BusinessPartner('1')}; a link elsewhere on SAP keeps only its path ({@code /sap/opu/…}); the
 * agent's own query parameters ({@code sap-client}, {@code $format}) are dropped, as the agent adds them again.
 */
final class ODataLinks {

  /** Members whose value is a link in OData V2 JSON ({@code __metadata.uri}, {@code __deferred.uri} …). */
  private static final Set<String> LINK_MEMBERS = Set.of("uri", "media_src", "edit_media", "id");
  /** The objects that hold them. */
  private static final Set<String> LINK_OBJECTS = Set.of("__metadata", "__deferred");
  private static final Set<String> AGENT_PARAMETERS = Set.of("sap-client", "$format");

  private final String origin;
  private final String rootPath;

  /** @param root the service root, without a trailing slash */
  ODataLinks(URI root) {
    this.origin = (root.getScheme() + "://" + root.getRawAuthority()).toLowerCase(Locale.ROOT);
    this.rootPath = root.getRawPath() == null ? "" : root.getRawPath().replaceAll("/+$", "");
  }

  /** The link below the service root (path and query); the path alone for a link elsewhere; as it is when relative. */
  String below(String link) {
    if (link == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(link.strip());
    } catch (URISyntaxException e) {
      // Not a URL Ferry can read: never pass on what may hold SAP's host.
      return link.toLowerCase(Locale.ROOT).startsWith(origin) ? link.substring(origin.length()) : link;
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (uri.getScheme() == null && !path.startsWith("/")) {
      return withQuery(path, uri.getRawQuery());
    }
    if (path.equals(rootPath) || path.equals(rootPath + "/")) {
      return withQuery("", uri.getRawQuery());
    }
    if (path.startsWith(rootPath + "/")) {
      return withQuery(path.substring(rootPath.length() + 1), uri.getRawQuery());
    }
    return withQuery(path, uri.getRawQuery());
  }

  /**
   * Rewrites, in place, every link in {@code node}: any absolute URL in the members OData V2 uses for links
   * ({@code __metadata} and {@code __deferred}'s {@code uri}, {@code id}, {@code media_src}, {@code edit_media};
   * {@code __next}), and any other text that starts with the service's scheme, host and port. Business data that
   * merely holds some URL elsewhere is left as it is.
   */
  void rewrite(JsonNode node) {
    rewrite(node, false);
  }

  private void rewrite(JsonNode node, boolean linkObject) {
    if (node instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode v = o.get(name);
        if (v.isTextual()) {
          boolean member = linkObject && LINK_MEMBERS.contains(name) || name.equals("__next");
          if (isLink(member, v.asText())) {
            o.put(name, below(v.asText()));
          } else if (mentionsHost(v.asText())) {
            o.put(name, withoutHost(v.asText()));
          }
        } else {
          rewrite(v, LINK_OBJECTS.contains(name));
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        JsonNode v = a.get(i);
        if (v.isTextual() && isLink(false, v.asText())) {
          a.set(i, a.textNode(below(v.asText())));
        } else if (v.isTextual() && mentionsHost(v.asText())) {
          a.set(i, a.textNode(withoutHost(v.asText())));
        } else {
          rewrite(v, false);
        }
      }
    }
  }

  private boolean mentionsHost(String text) {
    return text.toLowerCase(Locale.ROOT).contains(origin);
  }

  /** A text that mentions the service's URL somewhere inside (a message, a note): the same text without the host. */
  private String withoutHost(String text) {
    String t = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(origin + rootPath + "/"),
        java.util.regex.Pattern.CASE_INSENSITIVE).matcher(text).replaceAll("");
    return java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(origin),
        java.util.regex.Pattern.CASE_INSENSITIVE).matcher(t).replaceAll("");
  }

  private boolean isLink(boolean member, String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.startsWith(origin) || member && (lower.startsWith("http://") || lower.startsWith("https://"));
  }

  private static String withQuery(String path, String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return path;
    }
    List<String> kept = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      String name = java.net.URLDecoder.decode(pair.split("=", 2)[0], java.nio.charset.StandardCharsets.UTF_8);
      if (!pair.isEmpty() && !AGENT_PARAMETERS.contains(name)) {
        kept.add(pair);
      }
    }
    return kept.isEmpty() ? path : path + "?" + String.join("&", kept);
  }
}
