package io.ferry.relay.callback;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which callback URLs the relay posts to: absolute {@code https} URLs, and {@code http} only to this
 * machine (loopback) when the operator allows callbacks there, for development and tests. No user info
 * (a password in a URL would be stored and logged), at most 2048 characters. A literal address outside
 * what {@link CallbackAddresses} allows is refused here already; a name is checked when the callback is
 * sent, against every address it resolves to then.
 */
public final class CallbackUrls {

  public static final int MAX_LENGTH = 2048;

  /**
   * Why a URL cannot be a callback URL.
   *
   * @param unreachable true when the URL is well-formed but names an address callbacks may not reach (the
   *     engine's answer is 422, not 400: the request is understood, the target is refused)
   */
  public record Problem(String message, boolean unreachable) {}

  private CallbackUrls() {}

  /** Why {@code value} cannot be a callback URL; empty when it can. */
  public static Optional<Problem> problem(String value, boolean privateNetworks, boolean loopback) {
    if (value == null || value.isBlank()) {
      return malformed("must be an absolute https URL, was empty");
    }
    if (value.length() > MAX_LENGTH) {
      return malformed("must be at most " + MAX_LENGTH + " characters, was " + value.length());
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      return malformed("is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.getHost() == null) {
      return malformed("must be an absolute https URL such as https://flows.example.com/hook");
    }
    if (uri.getRawUserInfo() != null) {
      return malformed("must not contain a user name or password; put a secret token in the path or query instead");
    }
    if (uri.getRawFragment() != null) {
      return malformed("must not have a fragment (#…)");
    }
    String host = uri.getHost();
    if (!loopback && host.toLowerCase(Locale.ROOT).equals("localhost")) {
      return Optional.of(new Problem("must not point to localhost, this machine: callbacks to loopback need "
          + "relay.callback-loopback=true", true));
    }
    String refused = new CallbackAddresses(okhttp3.Dns.SYSTEM, privateNetworks, loopback).refusalOfLiteral(host);
    if (refused != null) {
      return Optional.of(new Problem("must not point to " + refused, true));
    }
    if (scheme.equals("https")) {
      return Optional.empty();
    }
    if (scheme.equals("http")) {
      return isLoopback(host) ? Optional.empty()
          : malformed("must use https; http is accepted only for loopback addresses (127.0.0.1, ::1, localhost) "
              + "when relay.callback-loopback=true");
    }
    return malformed("must be an https URL, was scheme '" + scheme + "'");
  }

  private static Optional<Problem> malformed(String message) {
    return Optional.of(new Problem(message, false));
  }

  static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    // Only literal addresses: never resolve a name here (no DNS lookups on a request thread).
    if (!CallbackAddresses.isLiteral(h)) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
