package io.ferry.relay.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What makes two requests "the same request" for an {@code Idempotency-Key}: the method, the path, the
 * body as canonical JSON (object members sorted, no insignificant whitespace, so a retry that
 * serialises its fields in another order is still the same request), and the request's other inputs
 * (preconditions, callback URL). SHA-256, hex.
 */
public final class Fingerprint {

  private Fingerprint() {}

  /** @param extras further inputs that change what the request does, in a fixed order; nulls allowed */
  public static String of(String method, String path, JsonNode body, String... extras) {
    StringBuilder material = new StringBuilder();
    material.append(method).append(' ').append(path).append('\n');
    canonical(body, material);
    for (String extra : extras) {
      material.append('\n').append(extra == null ? "" : extra);
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(material.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** JSON with object members in code-point order; scalars as Jackson writes them. */
  static void canonical(JsonNode node, StringBuilder out) {
    if (node == null || node.isMissingNode()) {
      return;
    }
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      out.append('{');
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(quote(names.get(i))).append(':');
        canonical(node.get(names.get(i)), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        canonical(node.get(i), out);
      }
      out.append(']');
    } else {
      out.append(node.toString());
    }
  }

  private static String quote(String s) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
  }
}
