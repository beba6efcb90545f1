package io.ferry.cli.connector;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where Power Automate reaches the relay, from {@code --host}: a bare host name ({@code relay.example.com},
 * https assumed) or a URL ({@code https://relay.example.com:8443}, {@code https://gw.example.com/ferry}).
 *
 * @param scheme {@code https} or {@code http}
 * @param host the host, with {@code :port} when one was given
 * @param basePath {@code /} or the URL's path without a trailing slash
 */
public record ConnectorHost(String scheme, String host, String basePath) {

  private static final Pattern HOST = Pattern.compile(
      "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)*/?");

  /** Parses {@code --host}; the message of the exception names the option, the value and the expected forms. */
  public static ConnectorHost parse(String value) {
    if (value == null || value.isBlank()) {
      throw invalid(value, "it is empty");
    }
    String v = value.trim();
    String withScheme = v.contains("://") ? v : "https://" + v;
    URI uri;
    try {
      uri = new URI(withScheme);
    } catch (URISyntaxException e) {
      throw invalid(value, e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw invalid(value, "the scheme must be https (or http), was '" + scheme + "'");
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw invalid(value, "it must not contain a user name, query or fragment");
    }
    String host = uri.getHost();
    if (host == null || !HOST.matcher(host).matches()) {
      throw invalid(value, "'" + (host == null ? uri.getRawAuthority() : host) + "' is not a host name");
    }
    int port = uri.getPort();
    if (uri.getRawAuthority() != null && uri.getRawAuthority().endsWith(":")) {
      throw invalid(value, "the port is missing after ':'");
    }
    if (port == 0 || port > 65_535) {
      throw invalid(value, "the port must be between 1 and 65535");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (!PATH.matcher(path).matches()) {
      throw invalid(value, "the path '" + path + "' may contain only letters, digits and . _ ~ -");
    }
    String basePath = path.isEmpty() || path.equals("/") ? "/" : path.replaceAll("/$", "");
    return new ConnectorHost(scheme, port > 0 ? host + ":" + port : host, basePath);
  }

  private static IllegalArgumentException invalid(String value, String why) {
    return new IllegalArgumentException("--host must be the relay's public host name such as relay.example.com or a URL "
        + "such as https://relay.example.com:8443, was '" + value + "' (" + why + ")");
  }
}
