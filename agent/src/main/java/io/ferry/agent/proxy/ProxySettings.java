package io.ferry.agent.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import okhttp3.Authenticator;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The HTTP proxy between the agent and the relay ({@code agent.proxy.*}, or the conventional
 * {@code HTTPS_PROXY} and {@code NO_PROXY} environment variables), validated when built. Applies to the
 * relay only: SAP is on the agent's own network.
 *
 * <p>Bypass entries, separated by commas (or spaces), matched without regard to case; a port in an entry is
 * ignored:
 * <ul>
 *   <li>{@code *} — every host: no proxy at all;
 *   <li>{@code .example.com} — {@code example.com} and every host below it;
 *   <li>{@code relay.example.com}, {@code 10.1.2.3}, {@code [::1]} — exactly that host or address.
 * </ul>
 *
 * @param url the proxy, {@code http://host:port}; null for a direct connection
 * @param user the user for basic proxy authentication; null for none
 * @param password that user's password (secret; {@code FERRY_PROXY_PASSWORD})
 * @param bypass hosts reached directly, as above
 * @param source where the proxy came from, for the start-up log ({@code agent.proxy.url}, {@code HTTPS_PROXY})
 */
public record ProxySettings(URI url, String user, String password, List<String> bypass, String source) {

  /** No proxy. */
  public static final ProxySettings DIRECT = new ProxySettings(null, null, null, List.of(), "none");
  public static final String PASSWORD_ENV = "FERRY_PROXY_PASSWORD";

  public ProxySettings {
    List<String> problems = new ArrayList<>();
    if (url != null) {
      if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null || url.getPort() < 1
          || url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/")
          || url.getRawQuery() != null) {
        problems.add(name(source) + " must be http://host:port (an HTTP proxy; HTTPS to the relay is tunnelled through it "
            + "with CONNECT), was '" + redacted(url) + "'");
      }
    }
    if (password != null && user == null) {
      problems.add("a proxy password is set but agent.proxy.user is not: name the proxy user");
    }
    if (user != null && (user.isBlank() || user.contains(":"))) {
      problems.add("agent.proxy.user must not be blank or contain ':', was '" + user + "'");
    }
    List<String> entries = new ArrayList<>();
    for (String b : bypass == null ? List.<String>of() : bypass) {
      String e = normalize(b);
      if (!e.isEmpty()) {
        entries.add(e);
      }
    }
    bypass = List.copyOf(entries);
    source = source == null ? "agent.proxy.url" : source;
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /**
   * The proxy for a relay at {@code relayUrl}: {@code agent.proxy.url} when set ({@code direct} for none,
   * whatever the environment says), else {@code HTTPS_PROXY}/{@code https_proxy} for an https relay and
   * {@code HTTP_PROXY}/{@code http_proxy} for a plain one. The bypass list is {@code agent.proxy.bypass}
   * when set, else {@code NO_PROXY}/{@code no_proxy}. The password is {@code FERRY_PROXY_PASSWORD}, else
   * {@code agent.proxy.password}, else the one in the environment's proxy URL ({@code http://user:pw@host:port}).
   *
   * @param settings the {@code agent.proxy.*} settings (url, user, password, bypass), null when not set
   */
  public static ProxySettings resolve(Function<String, String> settings, URI relayUrl, Function<String, String> env) {
    String explicit = blankToNull(settings.apply("url"));
    String bypassSetting = settings.apply("bypass");
    String bypassText = bypassSetting != null ? bypassSetting : firstSet(env, "NO_PROXY", "no_proxy");
    List<String> bypass = bypassText == null ? List.of() : Arrays.asList(bypassText.split("[,\\s]+"));
    String user = blankToNull(settings.apply("user"));
    String password = firstNonEmpty(env.apply(PASSWORD_ENV), settings.apply("password"));
    if (explicit != null && explicit.equalsIgnoreCase("direct")) {
      return DIRECT;
    }
    String source;
    String raw;
    if (explicit != null) {
      source = "agent.proxy.url";
      raw = explicit;
    } else {
      boolean https = relayUrl != null && "https".equalsIgnoreCase(relayUrl.getScheme());
      String[] names = https ? new String[] {"HTTPS_PROXY", "https_proxy"} : new String[] {"HTTP_PROXY", "http_proxy"};
      raw = firstSet(env, names);
      source = raw == null ? "none" : env.apply(names[0]) != null && !env.apply(names[0]).isBlank() ? names[0] : names[1];
    }
    if (raw == null) {
      if (user != null || password != null && settings.apply("password") != null) {
        throw new IllegalArgumentException("agent.proxy.user is set but no proxy is: set agent.proxy.url=http://host:port "
            + "(or HTTPS_PROXY)");
      }
      return DIRECT;
    }
    URI url;
    try {
      url = new URI(raw.strip().contains("://") ? raw.strip() : "http://" + raw.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(source + " is not a URL: " + e.getReason());
    }
    if (url.getRawUserInfo() != null) {
      if (source.equals("agent.proxy.url")) {
        throw new IllegalArgumentException("agent.proxy.url must not contain credentials; set agent.proxy.user and the "
            + "password in " + PASSWORD_ENV + " (or agent.proxy.password)");
      }
      String[] userInfo = url.getRawUserInfo().split(":", 2);
      if (user == null) {
        user = URLDecoder.decode(userInfo[0], StandardCharsets.UTF_8);
        if (password == null && userInfo.length == 2) {
          password = URLDecoder.decode(userInfo[1], StandardCharsets.UTF_8);
        }
      }
      try {
        url = new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), null, null);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(source + " is not a URL: " + e.getReason());
      }
    }
    return new ProxySettings(url, user, user == null ? null : password, bypass, source);
  }

  /** True when {@code host} is reached directly, by the bypass list. */
  public boolean bypasses(String host) {
    String h = normalize(host);
    for (String entry : bypass) {
      if (entry.equals("*") || entry.equals(h)
          || entry.startsWith(".") && (h.endsWith(entry) || h.equals(entry.substring(1)))) {
        return true;
      }
    }
    return false;
  }

  /** Sends the client's requests through the proxy (unless bypassed), with basic proxy authentication. */
  public void apply(OkHttpClient.Builder client) {
    if (url == null) {
      client.proxy(Proxy.NO_PROXY);
      return;
    }
    Proxy proxy = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(url.getHost(), url.getPort()));
    client.proxySelector(new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        return List.of(bypasses(uri.getHost()) ? Proxy.NO_PROXY : proxy);
      }

      @Override
      public void connectFailed(URI uri, SocketAddress address, IOException e) {
        // OkHttp reports the failure to the caller; there is no other proxy to fall back to.
      }
    });
    client.proxyAuthenticator(user == null ? Authenticator.NONE : (route, response) -> {
      // Called for the proxy's 407 only (and before a CONNECT, preemptively): the credentials go to the
      // proxy, never to the relay. A second 407 means they were refused: give up rather than loop.
      if (response.request().header("Proxy-Authorization") != null) {
        return null;
      }
      Request.Builder again = response.request().newBuilder()
          .header("Proxy-Authorization", Credentials.basic(user, password == null ? "" : password, StandardCharsets.UTF_8));
      return again.build();
    });
  }

  /** What to tell an operator when the proxy refused: which setting to check. */
  public String refusalAdvice() {
    return user == null
        ? "the proxy " + redacted(url) + " (" + source + ") requires authentication: set agent.proxy.user and the password in "
            + PASSWORD_ENV
        : "the proxy " + redacted(url) + " (" + source + ") refused the credentials of proxy user " + user
            + " (HTTP 407): check agent.proxy.user and " + PASSWORD_ENV + " (or agent.proxy.password)";
  }

  /** The settings as {@code key=value} lines, the password masked. */
  public List<String> describe() {
    if (url == null) {
      return List.of("agent.proxy.url=(none: direct)");
    }
    return List.of("agent.proxy.url=" + redacted(url) + " (from " + source + ")",
        "agent.proxy.user=" + (user == null ? "(none)" : user),
        "agent.proxy.password=" + (password == null ? "(none)" : "****"),
        "agent.proxy.bypass=" + (bypass.isEmpty() ? "(none)" : String.join(",", bypass)));
  }

  /** Safe to log: the password is masked. */
  @Override
  public String toString() {
    return "ProxySettings[" + String.join(", ", describe()) + "]";
  }

  private static String normalize(String host) {
    if (host == null) {
      return "";
    }
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end > 0 ? h.substring(1, end) : h;
    }
    if (h.startsWith("*.")) {
      h = h.substring(1);
    }
    int colon = h.indexOf(':');
    if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
      h = h.substring(0, colon); // host:port; an IPv6 address has more than one colon
    }
    return h;
  }

  private static String redacted(URI url) {
    return url == null ? "(none)" : url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
  }

  private static String name(String source) {
    return source == null ? "agent.proxy.url" : source;
  }

  private static String firstSet(Function<String, String> env, String... names) {
    for (String n : names) {
      String v = env.apply(n);
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return null;
  }

  private static String firstNonEmpty(String a, String b) {
    return a != null && !a.isEmpty() ? a : b != null && !b.isEmpty() ? b : null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
