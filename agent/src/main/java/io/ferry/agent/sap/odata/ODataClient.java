package io.ferry.agent.sap.odata;

import io.ferry.agent.sap.CallPolicy;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.trace.JobTrace;
import io.ferry.protocol.TraceParent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
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
 * The HTTP side of the OData backend: one OkHttp client with the configured timeouts and TLS client
 * certificate, basic authentication and {@code sap-client} on every request, and SAP's CSRF session:
 * a token fetched with {@code X-CSRF-Token: Fetch} before the first modifying request, sent with every
 * one, and fetched once more when SAP answers {@code 403} with {@code X-CSRF-Token: Required}, before
 * one retry.
 *
 * <p>A token is valid only with the session cookie of the fetch that answered it. So the token and its
 * cookies are one immutable {@link CsrfSession}, swapped as a whole, and a request sends the pair it
 * read — never a token of one fetch with a cookie of another. When several requests find their session
 * expired at once, one of them fetches and the others wait for its result ({@link #refresh}): one new
 * session for all, instead of one per thread, each replacing the cookie the others' tokens need.
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
  /** The current CSRF session; null before the first fetch. */
  private final AtomicReference<CsrfSession> session = new AtomicReference<>();
  /** Held while a token is fetched: the one fetch in flight, which the other refreshing threads wait for. */
  private final ReentrantLock refreshing = new ReentrantLock();

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
        // No cookie jar: SAP's session cookies travel with their token in a CsrfSession.
        .cookieJar(CookieJar.NO_COOKIES);
    if (settings.clientCertificate() != null) {
      ClientCertificates.Tls tls = ClientCertificates.load(settings.clientCertificate(), settings.clientCertificatePassword());
      b.sslSocketFactory(tls.socketFactory(), tls.trustManager());
    }
    this.http = b.build();
  }

  /**
   * The URL of a resource below the service root, with {@code sap-client}. {@code segments} are path
   * segments as OData writes them ({@code A_BusinessPartner('100001')}, {@code to_EmailAddress});
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

  /**
   * The URL of a resource below the service root from segments already URL-encoded as a client sent them
   * ({@code A_BusinessPartner('A%20B')}), with {@code sap-client}.
   */
  HttpUrl.Builder encodedUrl(List<String> encodedSegments) {
    HttpUrl.Builder b = root.newBuilder();
    for (String s : encodedSegments) {
      b.addEncodedPathSegment(s);
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
    Request.Builder b = request(url).header("Accept", accept);
    CsrfSession current = session.get();
    if (current != null) {
      // Reads stay in the session too (no new logon each); a cookie SAP sets on a read is not kept, so
      // the current token never loses the cookie it belongs to.
      cookie(b, url, current.cookies());
    }
    return execute(b.get().build());
  }

  /**
   * {@code GET} with {@code X-CSRF-Token: Fetch}, sending the current session's cookies (SAP then answers
   * a new token for a live session, or opens a new session with a new cookie); a token that comes back
   * becomes the current session together with its cookies.
   */
  Reply fetchCsrfToken() throws IOException, SapException {
    lock();
    try {
      return fetch(session.get());
    } finally {
      refreshing.unlock();
    }
  }

  /** Call with {@link #refreshing} held. */
  private Reply fetch(CsrfSession stale) throws IOException, SapException {
    HttpUrl url = url().build();
    Request.Builder b = request(url).header("Accept", "application/json").header("X-CSRF-Token", "Fetch");
    List<Cookie> cookies = stale == null ? List.of() : stale.cookies();
    cookie(b, url, cookies);
    Reply r = execute(b.get().build());
    String token = r.header("X-CSRF-Token");
    if (r.ok() && token != null && !token.isBlank() && !token.equalsIgnoreCase("Required")) {
      session.set(new CsrfSession(token, CsrfSession.merge(cookies, Cookie.parseAll(url, r.headers()))));
    }
    return r;
  }

  /**
   * A create ({@code POST}), answered only when SAP said 2xx. SAP surely did not act (the failure as it is) when the
   * request was never sent or was answered 4xx; it may have (OUTCOME_UNKNOWN) after any other I/O failure or a 5xx.
   */
  Reply create(HttpUrl url, String json, String action) throws SapException {
    Reply r;
    try {
      r = modify("POST", url, json, null, action);
    } catch (IOException e) {
      SapException failure = ODataErrors.io(e, action, settings);
      throw ODataErrors.neverSent(e) ? failure : ODataErrors.outcomeUnknown(failure);
    }
    if (!r.ok()) {
      SapException failure = ODataErrors.failure(r, action, settings);
      throw r.status() >= 500 ? ODataErrors.outcomeUnknown(failure) : failure;
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
    CsrfSession used = session.get();
    if (used == null) {
      used = refresh(null, action);
    }
    Reply r = execute(modifying(method, url, json, ifMatch, used));
    if (r.csrfRequired()) {
      log.debug("SAP wants a new CSRF token; fetching it once and retrying {} {}", method, url.encodedPath());
      used = refresh(used, action);
      r = execute(modifying(method, url, json, ifMatch, used));
      if (r.csrfRequired()) {
        throw ODataErrors.configuration("SAP refused the CSRF token again right after handing it out while " + action
            + " (" + settings.serviceUrl() + "); a proxy between the agent and SAP probably drops the session cookies "
            + "or the X-CSRF-Token header", ODataErrors.fromErrorBody(r.body()));
      }
    }
    return r;
  }

  /**
   * A session to replace {@code stale} (the one a refused request sent; null when there was none). One
   * fetch at a time: a thread that waited while another fetched finds the session changed and takes
   * that one without fetching again.
   */
  private CsrfSession refresh(CsrfSession stale, String action) throws IOException, SapException {
    lock();
    try {
      CsrfSession current = session.get();
      if (current != null && current != stale) {
        return current;
      }
      Reply r = fetch(stale);
      if (!r.ok()) {
        throw ODataErrors.failure(r, action + " (fetching the CSRF token)", settings);
      }
      CsrfSession fresh = session.get();
      if (fresh == null || fresh == current || !fresh.token().equals(r.header("X-CSRF-Token"))) {
        throw ODataErrors.configuration("SAP answered the CSRF token fetch without a token (" + settings.serviceUrl()
            + "); check sap.odata.service-url points at a Gateway OData service and no proxy strips X-CSRF-Token", List.of());
      }
      return fresh;
    } finally {
      refreshing.unlock();
    }
  }

  /** Waits for a fetch in flight (bounded by its timeouts); an interrupt ends the wait. */
  private void lock() throws InterruptedIOException {
    try {
      refreshing.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for SAP's CSRF token");
    }
  }

  private Request modifying(String method, HttpUrl url, String json, String ifMatch, CsrfSession with) {
    Request.Builder b = request(url)
        .header("Accept", "application/json")
        .header("X-CSRF-Token", with.token())
        .method(method, json == null ? (method.equals("DELETE") ? null : RequestBody.create(new byte[0], JSON))
            : RequestBody.create(json, JSON));
    if (ifMatch != null) {
      b.header("If-Match", ifMatch);
    }
    cookie(b, url, with.cookies());
    return b.build();
  }

  /** The {@code Cookie} header of the cookies that apply to {@code url}, as a browser would send them. */
  private static void cookie(Request.Builder b, HttpUrl url, List<Cookie> cookies) {
    long now = System.currentTimeMillis();
    String header = cookies.stream().filter(c -> c.expiresAt() >= now && c.matches(url))
        .map(c -> c.name() + "=" + c.value()).collect(Collectors.joining("; "));
    if (!header.isEmpty()) {
      b.header("Cookie", header);
    }
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

  /**
   * A CSRF token and the session cookies it belongs to, as one value: a request reads one of these and
   * sends both halves of it.
   */
  record CsrfSession(String token, List<Cookie> cookies) {

    CsrfSession {
      cookies = List.copyOf(cookies);
    }

    /** {@code kept} with what a fetch set: a cookie of the same name, domain and path is replaced. */
    static List<Cookie> merge(List<Cookie> kept, List<Cookie> set) {
      List<Cookie> merged = new ArrayList<>(kept);
      for (Cookie c : set) {
        merged.removeIf(old -> old.name().equals(c.name()) && old.domain().equals(c.domain()) && old.path().equals(c.path()));
        merged.add(c);
      }
      return merged;
    }

    @Override
    public String toString() {
      return "CsrfSession[" + cookies.size() + " cookies]";
    }
  }
}
