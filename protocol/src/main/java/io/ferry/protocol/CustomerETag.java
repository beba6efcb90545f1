package io.ferry.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Strong entity tags of customers, computed the same way by the relay (the {@code ETag} it answers)
 * and the agent (the {@code If-Match} check before an update): a hash of the customer's JSON without
 * {@code sapMessages}, which describe the call, not the data. The same data gives the same tag
 * whichever call returned it.
 */
public final class CustomerETag {

  private static final ObjectMapper JSON = Protocol.json();

  private CustomerETag() {}

  /** The strong, quoted entity tag of {@code customer}, for example {@code "9f86d081884c7d659a2feaa0c55ad015"}. */
  public static String of(Customer customer) {
    try {
      byte[] json = JSON.writeValueAsBytes(customer.withSapMessages(List.of()));
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(json);
      return "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"";
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("could not hash a customer", e);
    }
  }

  /**
   * Whether an {@code If-Match} value holds for {@code current} (RFC 9110 §13.1.1, strong comparison):
   * {@code *} matches any existing customer; otherwise one of the comma-separated entity tags must equal
   * the customer's. A weak tag ({@code W/"…"}) never matches.
   */
  public static boolean matches(String ifMatch, Customer current) {
    if (ifMatch == null || current == null) {
      return false;
    }
    String value = ifMatch.trim();
    if (value.equals("*")) {
      return true;
    }
    String tag = of(current);
    for (String candidate : value.split(",")) {
      if (candidate.trim().equals(tag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code value} is a syntactically valid {@code If-Match} field value: {@code *} or a list of
   * entity tags ({@code "…"} or {@code W/"…"}) with no spaces, quotes or controls inside the quotes.
   */
  public static boolean isValidIfMatch(String value) {
    if (value == null || value.isBlank()) {
      return false;
    }
    String v = value.trim();
    if (v.equals("*")) {
      return true;
    }
    for (String candidate : v.split(",")) {
      String c = candidate.trim();
      if (c.startsWith("W/")) {
        c = c.substring(2);
      }
      if (c.length() < 2 || c.charAt(0) != '"' || c.charAt(c.length() - 1) != '"') {
        return false;
      }
      for (int i = 1; i < c.length() - 1; i++) {
        char ch = c.charAt(i);
        if (ch == '"' || ch <= 0x20 || ch == 0x7f) {
          return false;
        }
      }
    }
    return true;
  }
}
