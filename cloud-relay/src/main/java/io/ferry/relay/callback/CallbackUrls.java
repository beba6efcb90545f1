package io.ferry.relay.callback;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which callback URLs the relay posts to: absolute {@code https} URLs, and {@code http} only to this
 * machine (loopback), for development and tests. No user info (a password in a URL would be stored and
 * logged), at most 2048 characters. A literal address outside what {@link CallbackAddresses} allows is
 * refused here already; a name is checked when the callback is sent, against the address it resolves to.
 */
public final class CallbackUrls {

  public static final int MAX_LENGTH = 2048;

  private CallbackUrls() {}

  /** Why {@code value} cannot be a callback URL; empty when it can. */
  public static Optional<String> problem(String value, boolean privateNetworks) {
    if (value == null || value.isBlank()) {
      return Optional.of("must be an absolute https URL, was empty");
    }
    if (value.length() > MAX_LENGTH) {
      return Optional.of("must be at most " + MAX_LENGTH + " characters, was " + value.length());
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      return Optional.of("is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.getHost() == null) {
      return Optional.of("must be an absolute https URL such as https://flows.example.com/hook");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("must not contain a user name or password; put a secret token in the path or query instead");
    }
    if (uri.getRawFragment() != null) {
      return Optional.of("must not have a fragment (#…)");
    }
    String refused = new CallbackAddresses(okhttp3.Dns.SYSTEM, privateNetworks).refusalOfLiteral(uri.getHost());
    if (refused != null) {
      return Optional.of("must not point to " + refused);
    }
    if (scheme.equals("https")) {
      return Optional.empty();
    }
    if (scheme.equals("http")) {
      return isLoopback(uri.getHost()) ? Optional.empty()
          : Optional.of("must use https; http is accepted only for loopback addresses (127.0.0.1, ::1, localhost)");
    }
    return Optional.of("must be an https URL, was scheme '" + scheme + "'");
  }

  static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    // Only literal addresses: never resolve a name here (no DNS lookups on a request thread).
    if (!h.matches("[0-9.]+|[0-9A-Fa-f:.]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
