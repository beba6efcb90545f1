package io.ferry.agent.sap.odata;

import io.ferry.agent.sap.CallPolicy;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.trace.JobTrace;
import io.ferry.protocol.TraceParent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Cookie;
import okhttp3.CookieJar;
import okhttp3.Credentials;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the OData backend: one OkHttp client with the configured timeouts, TLS client
 * certificate and a cookie jar of its own (SAP's session cookies belong to the CSRF token), basic
 * authentication and {@code sap-client} on every request, and the CSRF token: fetched with
 * {@code X-CSRF-Token: Fetch} before the first modifying request, sent with every one, and fetched
 * once more when SAP answers {@code 403} with {@code X-CSRF-Token: Required}, before one retry.
 *
 * <p>Logs method, path and status at debug level; never the Authorization header or a password.
 */
final class ODataClient implements AutoCloseable {

  /** An answer, read completely (OData answers of one customer are small). */
  record Reply(int status, Headers headers, String body) {

    String header(String name) {
      return headers.get(name);
    }

    boolean ok() {
      return status >= 200 && status < 300;
    }

    boolean csrfRequired() {
      return status == 403 && "Required".equalsIgnoreCase(headers.get("X-CSRF-Token"));
    }
  }

  private static final Logger log = LoggerFactory.getLogger(ODataClient.class);
  private static final MediaType JSON = MediaType.get("application/json");

  private final ODataSettings settings;
  private final CallPolicy calls;
  private final OkHttpClient http;
  private final HttpUrl root;
  private final String authorization;
  private volatile String csrfToken;

  /** @param calls asked before every request: a refused one is never sent */
  ODataClient(ODataSettings settings, CallPolicy calls) {
    this.settings = settings;
    this.calls = calls;
    HttpUrl parsed = HttpUrl.parse(settings.serviceUrl().toString());
    if (parsed == null) {
      throw new IllegalArgumentException("sap.odata.service-url is not a URL OkHttp understands: " + settings.serviceUrl());
    }
    this.root = parsed;
    this.authorization = settings.user() == null ? null
        : Credentials.basic(settings.user(), settings.password(), StandardCharsets.UTF_8);
    OkHttpClient.Builder b = new OkHttpClient.Builder()
        .connectTimeout(settings.connectTimeout())
        .readTimeout(settings.readTimeout())
        .writeTimeout(settings.readTimeout())
        .followRedirects(false)
        .cookieJar(new SessionCookies());
    if (settings.clientCertificate() != null) {
      ClientCertificates.Tls tls = ClientCertificates.load(settings.clientCertificate(), settings.clientCertificatePassword());
      b.sslSocketFactory(tls.socketFactory(), tls.trustManager());
    }
    this.http = b.build();
  }

  /**
   * The URL of a resource below the service root, with {@code sap-client}. {@code segments} are path
   * segments as OData writes them ({@code A_BusinessPartner('0000100001')}, {@code to_EmailAddress});
   * none for the service root itself.
   */
  HttpUrl.Builder url(String... segments) {
    HttpUrl.Builder b = root.newBuilder();
    if (segments.length == 0) {
      b.addPathSegment("");
    }
    for (String s : segments) {
      b.addPathSegment(s);
    }
    if (settings.client() != null) {
      b.addQueryParameter("sap-client", settings.client());
    }
    return b;
  }

  Reply get(HttpUrl url) throws IOException, SapException {
    return get(url, "application/json");
  }

  /** A read with another media type, such as {@code application/xml} for {@code $metadata}. */
  Reply get(HttpUrl url, String accept) throws IOException, SapException {
    return execute(request(url).header("Accept", accept).get().build());
  }

  /** {@code GET} with {@code X-CSRF-Token: Fetch}; the token, if any, is kept for modifying requests. */
  Reply fetchCsrfToken() throws IOException, SapException {
    Reply r = execute(request(url().build()).header("Accept", "application/json").header("X-CSRF-Token", "Fetch").get().build());
    String token = r.header("X-CSRF-Token");
    if (r.ok() && token != null && !token.isBlank() && !token.equalsIgnoreCase("Required")) {
      csrfToken = token;
    }
    return r;
  }

  /**
   * A modifying request ({@code POST}, {@code MERGE}, {@code PATCH}, {@code DELETE}) with the CSRF token
   * and the session's cookies. A stale token ({@code 403} + {@code X-CSRF-Token: Required}) is fetched
   * again once and the request retried once; a second refusal is a CONFIGURATION failure.
   *
   * @param json the body, or null for none
   * @param ifMatch the ETag for {@code If-Match}, or null
   */
  Reply modify(String method, HttpUrl url, String json, String ifMatch, String action) throws IOException, SapException {
    if (csrfToken == null) {
      token(action);
    }
    Reply r = execute(modifying(method, url, json, ifMatch));
    if (r.csrfRequired()) {
      log.debug("SAP wants a new CSRF token; fetching it once and retrying {} {}", method, url.encodedPath());
      token(action);
      r = execute(modifying(method, url, json, ifMatch));
      if (r.csrfRequired()) {
        throw ODataErrors.configuration("SAP refused the CSRF token again right after handing it out while " + action
            + " (" + settings.serviceUrl() + "); a proxy between the agent and SAP probably drops the session cookies "
            + "or the X-CSRF-Token header", ODataErrors.fromErrorBody(r.body()));
      }
    }
    return r;
  }

  private void token(String action) throws IOException, SapException {
    Reply r = fetchCsrfToken();
    if (!r.ok()) {
      throw ODataErrors.failure(r, action + " (fetching the CSRF token)", settings);
    }
    if (csrfToken == null || !csrfToken.equals(r.header("X-CSRF-Token"))) {
      throw ODataErrors.configuration("SAP answered the CSRF token fetch without a token (" + settings.serviceUrl()
          + "); check sap.odata.service-url points at a Gateway OData service and no proxy strips X-CSRF-Token", List.of());
    }
  }

  private Request modifying(String method, HttpUrl url, String json, String ifMatch) {
    Request.Builder b = request(url)
        .header("Accept", "application/json")
        .header("X-CSRF-Token", csrfToken)
        .method(method, json == null ? (method.equals("DELETE") ? null : RequestBody.create(new byte[0], JSON))
            : RequestBody.create(json, JSON));
    if (ifMatch != null) {
      b.header("If-Match", ifMatch);
    }
    return b.build();
  }

  private Request.Builder request(HttpUrl url) {
    Request.Builder b = new Request.Builder().url(url);
    // SAP Gateway takes W3C trace context: its traces then join the engine's, the relay's and the agent's.
    JobTrace.outgoing().ifPresent(t -> b.header(TraceParent.HEADER, t));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  private Reply execute(Request request) throws IOException, SapException {
    calls.checkPath(request.method(), request.url().pathSegments());
    try (Response response = http.newCall(request).execute()) {
      ResponseBody body = response.body();
      Reply reply = new Reply(response.code(), response.headers(), body == null ? "" : body.string());
      log.debug("OData {} {} -> {}", request.method(), request.url().encodedPath(), reply.status());
      return reply;
    }
  }

  String host() {
    return root.host();
  }

  int port() {
    return root.port();
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /** SAP's session cookies, kept for this backend only (never shared with the relay's client). */
  private static final class SessionCookies implements CookieJar {
    private final List<Cookie> cookies = new ArrayList<>();

    @Override
    public synchronized void saveFromResponse(HttpUrl url, List<Cookie> received) {
      for (Cookie c : received) {
        cookies.removeIf(old -> old.name().equals(c.name()) && old.domain().equals(c.domain()) && old.path().equals(c.path()));
        cookies.add(c);
      }
    }

    @Override
    public synchronized List<Cookie> loadForRequest(HttpUrl url) {
      long now = System.currentTimeMillis();
      cookies.removeIf(c -> c.expiresAt() < now);
      return cookies.stream().filter(c -> c.matches(url)).toList();
    }
  }
}
