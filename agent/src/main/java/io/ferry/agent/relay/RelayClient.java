package io.ferry.agent.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.agent.proxy.ProxySettings;
import io.ferry.agent.tls.TlsSettings;
import io.ferry.protocol.AgentKeyChange;
import io.ferry.protocol.EnrollRequest;
import io.ferry.protocol.EnrollResponse;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.LeaseRenewal;
import io.ferry.protocol.TraceParent;
import io.ferry.protocol.PollRequest;
import io.ferry.protocol.PollResponse;
import io.ferry.protocol.Problem;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.ResultBatch;
import io.ferry.protocol.ResultReceipts;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The agent's only way out: HTTPS calls to the relay's agent API. Every call is outbound; nothing
 * listens. Each method makes exactly one request and turns the answer into a value or a
 * {@link RelayException} whose {@link RelayException.Kind} tells the caller how to back off.
 *
 * <p>Why one class of over 600 lines: one method per agent API call, each mapping its answers the same way (status,
 * problem, retry hints), on one OkHttp client with one session and signing scheme; splitting it by call would spread
 * that mapping over several classes.
 */
public final class RelayClient implements AutoCloseable, io.ferry.agent.journal.ResultSender {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RelayClient.class);

  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final Duration SESSION_OPEN_TIMEOUT = Duration.ofSeconds(15);
  /**
   * A ping this often keeps NATs and proxies from dropping a quiet stream (twice within the 60 s idle timeout
   * common to load balancers and proxies), and finds a dead one (or more often: half of agent.poll-watchdog).
   * 30 s, not 20: for a relay with a fleet of idle agents, answering pings is most of its work.
   */
  public static final Duration STREAM_PING = Duration.ofSeconds(30);
  /**
   * How long a poll on a stream asks to be held when no job comes (the relay holds it at most that, and never past
   * the session). Long, because the pings, not the poll's answer, show that the stream is alive: an idle agent
   * sends a poll every fifteen minutes instead of every relay.poll-hold. (Five minutes before: an idle fleet's
   * poll answers and new polls were a third of its relay's CPU; the sessions last an hour, so a hold this long
   * still ends well inside one.)
   */
  public static final Duration STREAM_HOLD = Duration.ofMinutes(15);
  /** How long a stopping agent waits for the relay to take its goodbye, and then for its held poll's answer. */
  private static final Duration GOODBYE_TIMEOUT = Duration.ofSeconds(2);
  /** After a stream could not be opened, HTTP requests until this much later. */
  private static final Duration STREAM_RETRY = Duration.ofSeconds(30);

  private final HttpUrl base;
  private final OkHttpClient http;
  private final TlsSettings tls;
  private final ProxySettings proxy;
  private final ObjectMapper json = Protocol.json();
  private final Authorization authorization;
  /** Whether the relay has the batch route; false after it answered 404 there (a relay from before it). */
  private volatile boolean relayTakesBatches = true;
  private final AtomicReference<Call> currentPoll = new AtomicReference<>();
  /** Polls running now (one, from the poll loop); its monitor tells {@link #stopPolling} when they end. */
  private final int[] pollsInProgress = {0};
  private volatile boolean pollingStopped;
  /** The WebSocket client: the same pool and TLS, with pings that find a dead stream between answers. */
  private final OkHttpClient streamHttp;
  private final Duration readTimeout;
  private final boolean streamsWanted;
  private final Object streamLock = new Object();
  private volatile RelayStream stream;
  /** The relay answered the stream's upgrade with 404: a relay from before streams; HTTP from then on. */
  private volatile boolean relayHasNoStreams;
  private volatile long nextStreamTry = System.nanoTime();
  private final AtomicReference<java.util.concurrent.CompletableFuture<io.ferry.protocol.StreamAnswer>> currentStreamPoll =
      new AtomicReference<>();
  /** Streams failed because a ping went unanswered: stuck connections, as the poll watchdog finds for HTTP polls. */
  private final java.util.concurrent.atomic.AtomicLong stuckStreams = new java.util.concurrent.atomic.AtomicLong();
  /** This run of the agent: lets the relay tell a late poll of a stopped run from the next run's. */
  private final String runId = java.util.UUID.randomUUID().toString();

  /**
   * @param readTimeout how long a long-poll may stay silent; longer than the relay's hold so that an
   *     empty answer, not a timeout, ends a quiet poll
   */
  public RelayClient(URI relayUrl, String agentKey, Duration connectTimeout, Duration readTimeout) {
    this(relayUrl, agentKey, connectTimeout, readTimeout, TlsSettings.SYSTEM, ProxySettings.DIRECT);
  }

  /**
   * @param tls how the relay's certificate is checked (trust store, CA file, pins)
   * @param proxy the HTTP proxy to the relay, if any
   */
  public RelayClient(URI relayUrl, String agentKey, Duration connectTimeout, Duration readTimeout, TlsSettings tls,
      ProxySettings proxy) {
    this(relayUrl, Authorization.bearer(agentKey), connectTimeout, readTimeout, tls, proxy);
  }

  /** @param authorization signs each request (an agent with a key pair) or sends the bearer key */
  public RelayClient(URI relayUrl, Authorization authorization, Duration connectTimeout, Duration readTimeout,
      TlsSettings tls, ProxySettings proxy) {
    this(relayUrl, authorization, connectTimeout, readTimeout, tls, proxy, true, STREAM_PING);
  }

  /**
   * @param streams whether polls and results go over a stream ({@link Protocol#STREAM_PATH}) when the agent has a
   *     session and the relay takes streams; HTTP requests otherwise, and whenever the stream fails
   * @param stuckAfter how soon a stream that stopped answering must be found stuck (agent.poll-watchdog): its
   *     pings go at most every half of this, and a ping without a pong by the next one fails the stream
   */
  public RelayClient(URI relayUrl, Authorization authorization, Duration connectTimeout, Duration readTimeout,
      TlsSettings tls, ProxySettings proxy, boolean streams, Duration stuckAfter) {
    this.base = HttpUrl.get(relayUrl.toString());
    this.authorization = authorization.signs()
        ? new SessionAuthorization(authorization, this::openSession, java.time.Clock.systemUTC())
        : authorization;
    this.tls = tls;
    this.proxy = proxy;
    OkHttpClient.Builder b = new OkHttpClient.Builder()
        .connectTimeout(connectTimeout)
        .readTimeout(readTimeout)
        .writeTimeout(connectTimeout)
        .followRedirects(false) // a redirect would carry the agent's key to wherever it points
        .retryOnConnectionFailure(false) // the poll loop owns retries and their back-off
        .socketFactory(new NoDelaySockets());
    tls.apply(b, base.host());
    proxy.apply(b);
    this.http = b.build();
    // Nothing compressed on the stream: small JSON messages, where deflate costs more CPU than it saves.
    Duration ping = stuckAfter.dividedBy(2).compareTo(STREAM_PING) < 0 ? stuckAfter.dividedBy(2) : STREAM_PING;
    this.streamHttp = http.newBuilder().pingInterval(ping.isZero() ? Duration.ofMillis(500) : ping)
        .minWebSocketMessageToCompress(Long.MAX_VALUE).build();
    this.readTimeout = readTimeout;
    this.streamsWanted = streams;
  }

  /** Streams given up because they answered no ping: the connection to the relay looked stuck. */
  public long stuckStreams() {
    return stuckStreams.get();
  }

  public String runId() {
    return runId;
  }

  /** Trades a one-time enrollment token for the agent's own identity. */
  public EnrollResponse enroll(EnrollRequest request) throws RelayException {
    return call(post(Protocol.ENROLL_PATH, request, false), EnrollResponse.class, false);
  }

  /**
   * One long-poll. Returns when the relay hands out jobs or its hold time ends; {@link #stopPolling()}
   * ends it early from another thread (then a {@link RelayException.Kind#CANCELLED} is thrown).
   */
  public PollResponse poll(PollRequest request) throws RelayException {
    synchronized (pollsInProgress) {
      pollsInProgress[0]++;
    }
    try {
      return pollOnce(request);
    } finally {
      synchronized (pollsInProgress) {
        pollsInProgress[0]--;
        pollsInProgress.notifyAll();
      }
    }
  }

  private PollResponse pollOnce(PollRequest request) throws RelayException {
    RelayStream s = stream();
    if (s != null) {
      try {
        PollRequest held = request.holdSeconds() != null ? request : request.heldFor((int) STREAM_HOLD.toSeconds());
        Duration answerWithin = request.holdSeconds() != null ? readTimeout : STREAM_HOLD.plus(readTimeout);
        PollResponse jobs = s.call(id -> io.ferry.protocol.StreamRequest.poll(id, held), answerWithin, started -> {
          currentStreamPoll.set(started);
          if (pollingStopped) {
            started.cancel(false);
          }
        }).jobs();
        if (jobs == null) {
          throw new RelayException(RelayException.Kind.PROTOCOL, "the relay answered a poll on the stream without jobs",
              null);
        }
        return jobs;
      } catch (RelayException e) {
        if (!streamFailed(s, e)) {
          throw e;
        }
      } finally {
        currentStreamPoll.set(null);
      }
    }
    return call(post(Protocol.POLL_PATH, request, true), PollResponse.class, true);
  }

  /**
   * Whether the call that failed with {@code e} on {@code s} is made again as an HTTP request: when the relay
   * ended the stream's session (the HTTP request opens a new session). A stream that failed (the network, a
   * watchdog) is closed and the failure thrown, as an HTTP request's would be: the caller backs off as it does
   * for a request, and its next call opens a new stream on a new connection.
   */
  private boolean streamFailed(RelayStream s, RelayException e) {
    if (e.kind() == RelayException.Kind.UNAUTHORIZED) {
      s.cancel(e.getMessage());
      return true;
    }
    if (e.kind() == RelayException.Kind.NETWORK) {
      s.cancel(e.getMessage());
    }
    return false;
  }

  /**
   * The open stream of the agent's current session, opened now if there is none and one is due; null when
   * calls go as HTTP requests (streams off, no session yet, a relay without streams, a recent failure).
   */
  private RelayStream stream() {
    if (!streamsWanted || relayHasNoStreams || pollingStopped
        || !(authorization instanceof SessionAuthorization sessions)) {
      return null;
    }
    String session = sessions.currentSession();
    if (session == null) {
      return null;
    }
    RelayStream s = stream;
    if (s != null && s.isOpen() && s.session().equals(session)) {
      return s;
    }
    synchronized (streamLock) {
      s = stream;
      if (s != null && s.isOpen() && s.session().equals(session)) {
        return s;
      }
      if (s != null) {
        s.drain(); // a new session: the previous one's stream closes once its calls are answered
        stream = null;
      }
      if (System.nanoTime() - nextStreamTry < 0) {
        return null;
      }
      String header = authorization.header("GET", Protocol.STREAM_PATH);
      String opensIn = io.ferry.protocol.AgentSessionToken.parse(header)
          .map(io.ferry.protocol.AgentSessionToken::session).orElse(null);
      if (opensIn == null) {
        return null;
      }
      Request upgrade = new Request.Builder()
          .url(base.newBuilder().encodedPath(Protocol.STREAM_PATH).build())
          .header("User-Agent", "ferry-agent/" + AgentVersion.current())
          .header("Authorization", header)
          .build();
      try {
        stream = RelayStream.open(streamHttp, upgrade, opensIn, SESSION_OPEN_TIMEOUT, () -> {
          stuckStreams.incrementAndGet();
          http.connectionPool().evictAll();
        });
        LOG.debug("opened a stream to the relay in session {}", opensIn);
        return stream;
      } catch (RelayStream.NotOpened e) {
        if (e.relayHasNoStreams) {
          relayHasNoStreams = true;
          LOG.info("the relay takes no agent stream (an older relay); polls and results go as HTTP requests");
        } else {
          nextStreamTry = System.nanoTime() + STREAM_RETRY.toNanos();
          LOG.info("could not open a stream to the relay ({}); polls and results go as HTTP requests, another try "
              + "in {} s", e.getMessage(), STREAM_RETRY.toSeconds());
        }
        return null;
      }
    }
  }

  /**
   * Ends a poll that is being held and refuses later ones, so that a stopping agent does not wait for
   * the hold to run out.
   */
  public void stopPolling() {
    pollingStopped = true;
    // The relay first: it answers the held poll (with nothing, or with a job it handed it a moment ago, which the
    // agent then runs before it stops) and hands it nothing more. Cancelling first would drop such a job on the
    // floor, to come back only when its lease lapses. Best effort: if the relay is away, the lease does that anyway.
    Request goodbye = new Request.Builder()
        .url(base.newBuilder().encodedPath(Protocol.POLL_PATH).addQueryParameter("run", runId).build())
        .header("Authorization", authorization.header("DELETE", Protocol.POLL_PATH))
        .header("User-Agent", "ferry-agent/" + AgentVersion.current())
        .delete()
        .build();
    boolean heard = false;
    try (Response answer = http.newBuilder().callTimeout(GOODBYE_TIMEOUT).build().newCall(goodbye).execute()) {
      heard = answer.isSuccessful();
    } catch (IOException e) {
      // the relay is not reachable; nothing to release there
    }
    if (heard) {
      // The relay answers the held poll as it takes the goodbye, but that answer may arrive after the goodbye's own.
      long until = System.nanoTime() + GOODBYE_TIMEOUT.toNanos();
      synchronized (pollsInProgress) {
        long left;
        while (pollsInProgress[0] > 0 && (left = until - System.nanoTime()) > 0) {
          try {
            pollsInProgress.wait(Math.max(1, left / 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
    }
    // Whatever is still open now gets no answer worth waiting for.
    Call c = currentPoll.get();
    if (c != null) {
      c.cancel();
    }
    var streamPoll = currentStreamPoll.get();
    if (streamPoll != null) {
      streamPoll.cancel(false);
    }
  }

  /**
   * The secret of this agent's session {@code session}, while it is the current or the previous one and has
   * not ended; null otherwise. The relay signs the jobs handed to a poll made in a session with its secret.
   */
  public byte[] sessionSecret(String session) {
    return authorization instanceof SessionAuthorization sessions ? sessions.secretOf(session) : null;
  }

  /** Opens a session with a request the agent's key signed; see {@link SessionAuthorization}. */
  private io.ferry.protocol.AgentSession openSession(String signedHeader) throws RelayException {
    Request request = new Request.Builder()
        .url(base.newBuilder().encodedPath(Protocol.SESSION_PATH).build())
        .header("Accept", "application/json")
        .header("User-Agent", "ferry-agent/" + AgentVersion.current())
        .header("Authorization", signedHeader)
        .post(RequestBody.create(new byte[0], JSON_TYPE))
        .build();
    return call(request, io.ferry.protocol.AgentSession.class, false);
  }

  /** Registers a new public key, authenticated with the current key; answers until when the old one works. */
  public AgentKeyChange changeKey(AgentKeyChange change) throws RelayException {
    return call(post(Protocol.KEY_PATH, change, true), AgentKeyChange.class, false);
  }

  /**
   * Gives up the poll in flight, if any, without stopping polling: the poll watchdog's remedy for a poll
   * that neither returns nor fails (a half-open connection, a path that accepts bytes but forwards none).
   * The call is cancelled, which closes its connection, and idle pooled connections are dropped too, so the
   * next poll opens a fresh one. The poll then ends with {@link RelayException.Kind#CANCELLED}.
   *
   * @return whether a poll was in flight
   */
  public boolean abandonPoll() {
    if (currentStreamPoll.get() != null) {
      // Not a stuck poll: a poll on the stream is held for minutes, and the stream's pings find a dead
      // connection within two ping intervals (the call then fails), its own timeout a silent relay.
      return false;
    }
    Call c = currentPoll.get();
    if (c == null) {
      return false;
    }
    c.cancel();
    http.connectionPool().evictAll();
    return true;
  }

  /** Renews the lease of a running job; {@link RelayException.Kind#REJECTED} when the lease is lost. */
  public LeaseRenewal renewLease(String jobId, int attempt) throws RelayException {
    return renewLease(jobId, attempt, null);
  }

  /**
   * Renews the lease and tells the relay how many jobs this agent runs: while every worker is busy the
   * agent does not poll, and its renewals are its heartbeat.
   */
  public LeaseRenewal renewLease(String jobId, int attempt, Integer inFlight) throws RelayException {
    LeaseRenewal body = new LeaseRenewal(Protocol.VERSION, jobId, attempt, null, inFlight);
    return call(post(Protocol.leasePath(jobId), body, true), LeaseRenewal.class, false);
  }

  /**
   * Delivers a result. Returns normally when the relay accepted it now or earlier; throws
   * {@link RelayException.Kind#REJECTED} when the relay will never take it (stale attempt, unknown job).
   */
  @Override
  public void sendResult(JobResult result) throws RelayException {
    Request request = post(Protocol.resultPath(result.jobId()), result, true);
    // The job's trace, kept with the result in the outbox: the relay logs the result under the same trace id
    // whenever it is delivered (an outbox retry after a restart included).
    var trace = TraceParent.parse(result.traceparent());
    if (trace.isPresent()) {
      request = request.newBuilder().header(TraceParent.HEADER, trace.get().child().toString()).build();
    }
    call(request, Void.class, false);
  }

  /**
   * Delivers several results in one request ({@link Protocol#RESULTS_PATH}); with a relay from before that
   * route (it answers 404), one by one from then on.
   */
  @Override
  public List<Fate> sendResults(List<JobResult> results) throws RelayException {
    RelayStream s = results.size() <= ResultBatch.MAX_RESULTS ? stream() : null;
    if (s != null) {
      try {
        return fates(results, s.call(id -> io.ferry.protocol.StreamRequest.results(id,
            new ResultBatch(Protocol.VERSION, results)), readTimeout, started -> { }).receipts());
      } catch (RelayException e) {
        if (!streamFailed(s, e)) {
          throw e;
        }
      }
    }
    if (results.size() == 1 || !relayTakesBatches) {
      return io.ferry.agent.journal.ResultSender.super.sendResults(results);
    }
    ResultReceipts answer;
    try {
      answer = call(post(Protocol.RESULTS_PATH, new ResultBatch(Protocol.VERSION, results), true),
          ResultReceipts.class, false);
    } catch (RelayException e) {
      // The batch as a whole is only ever refused for an unknown route (404): a relay from before batches.
      if (e.kind() == RelayException.Kind.REJECTED) {
        relayTakesBatches = false;
        LOG.info("the relay takes no result batches (an older relay); results are posted one by one");
        return io.ferry.agent.journal.ResultSender.super.sendResults(results);
      }
      throw e;
    }
    return fates(results, answer);
  }

  /**
   * Posts change events the agent found in SAP ({@link Protocol#CHANGES_PATH}); the receipt means the relay keeps
   * every one of them. Over HTTP requests, with the session, TLS and proxy of every other call.
   */
  public io.ferry.protocol.change.ChangeReceipt sendChanges(io.ferry.protocol.change.ChangeBatch batch)
      throws RelayException {
    return call(post(Protocol.CHANGES_PATH, batch, true), io.ferry.protocol.change.ChangeReceipt.class, false);
  }

  private static List<Fate> fates(List<JobResult> results, ResultReceipts answer) throws RelayException {
    if (answer == null || answer.receipts().size() != results.size()) {
      throw new RelayException(RelayException.Kind.PROTOCOL, "the relay answered a batch of " + results.size()
          + " results with " + (answer == null ? "nothing" : answer.receipts().size() + " receipts"), null);
    }
    List<Fate> fates = new ArrayList<>(results.size());
    for (ResultReceipts.Receipt r : answer.receipts()) {
      if (r.taken()) {
        fates.add(Fate.TAKEN);
      } else if (RelayException.fromStatus(r.status(), "", null).kind() == RelayException.Kind.REJECTED) {
        fates.add(Fate.REFUSED);
      } else {
        throw RelayException.fromStatus(r.status(), "the relay did not take the result of job " + r.jobId() + ": "
            + (r.problem() == null ? "status " + r.status() : r.problem().detail()), null);
      }
    }
    return fates;
  }

  @Override
  public void close() {
    RelayStream s = stream;
    if (s != null) {
      s.cancel("the agent stops");
    }
    http.dispatcher().cancelAll();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private Request post(String path, Object body, boolean authenticated) throws RelayException {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new RelayException(RelayException.Kind.PROTOCOL, "cannot encode " + body.getClass().getSimpleName(), e);
    }
    Request.Builder b = new Request.Builder()
        .url(base.newBuilder().encodedPath(path).build())
        .header("Accept", "application/json")
        .header("User-Agent", "ferry-agent/" + AgentVersion.current())
        .post(RequestBody.create(bytes, JSON_TYPE));
    if (authenticated) {
      String header = authorization.header("POST", path);
      if (header != null) {
        b.header("Authorization", header);
      }
    }
    return b.build();
  }

  private <T> T call(Request request, Class<T> type, boolean isPoll) throws RelayException {
    try {
      return callOnce(request, type, isPoll);
    } catch (RelayException e) {
      // A session the relay no longer takes (relay.key replaced, the key rotated, a clock jump): open a
      // new one and send the request once more; the 401 means the relay did nothing with it.
      String used = request.header("Authorization");
      if (e.kind() == RelayException.Kind.UNAUTHORIZED && authorization instanceof SessionAuthorization sessions
          && sessions.refused(used)) {
        return callOnce(request.newBuilder()
            .header("Authorization", authorization.header(request.method(), request.url().encodedPath()))
            .build(), type, isPoll);
      }
      throw e;
    }
  }

  private <T> T callOnce(Request request, Class<T> type, boolean isPoll) throws RelayException {
    Call call = http.newCall(request);
    if (request.url().encodedPath().equals(Protocol.SESSION_PATH)) {
      // Opened inside another request, out of the poll watchdog's reach: bounded here instead.
      call.timeout().timeout(SESSION_OPEN_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    if (isPoll) {
      currentPoll.set(call);
      if (pollingStopped) { // stopPolling() may have run just before the set: do not start a held poll
        call.cancel();
      }
    }
    try (Response response = call.execute()) {
      ResponseBody body = response.body();
      byte[] bytes = body == null ? new byte[0] : body.bytes();
      if (response.isSuccessful()) {
        if (type == Void.class || bytes.length == 0) {
          return null;
        }
        return json.readValue(bytes, type);
      }
      throw RelayException.fromStatus(response.code(), describe(response.code(), bytes),
          retryAfter(response.header("Retry-After")));
    } catch (RelayException e) {
      throw e;
    } catch (InterruptedIOException e) {
      if (call.isCanceled()) {
        throw new RelayException(RelayException.Kind.CANCELLED, "the call was cancelled", e);
      }
      throw new RelayException(RelayException.Kind.NETWORK, "the relay did not answer in time (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      if (call.isCanceled()) {
        throw new RelayException(RelayException.Kind.CANCELLED, "the call was cancelled", e);
      }
      throw new RelayException(RelayException.Kind.NETWORK, "cannot reach the relay at " + base + ": " + explain(e), e);
    } finally {
      if (isPoll) {
        currentPoll.compareAndSet(call, null);
      }
    }
  }

  /** Says which setting to look at when TLS or the proxy refused, rather than OkHttp's words alone. */
  private String explain(IOException e) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof SSLPeerUnverifiedException && message.startsWith("Certificate pinning failure")) {
      return "the relay's certificate does not match agent.tls.pin; the connection was refused. If the relay's key "
          + "was replaced on purpose, set agent.tls.pin to its new pin (ferry relay serve prints it); otherwise someone "
          + "may be intercepting the connection. " + message.lines().limit(4).reduce((a, b) -> a + " " + b.strip()).orElse("");
    }
    if (e instanceof SSLPeerUnverifiedException) {
      return "the relay's certificate is not valid for host " + base.host() + " (" + message + "); use the host name "
          + "the certificate was issued for in agent.relay-url";
    }
    if (e instanceof SSLHandshakeException && message.contains("PKIX")) {
      return "the relay's certificate is not trusted by the system trust store"
          + (tls.caFile() == null ? "" : " nor by agent.tls.ca-file " + tls.caFile())
          + "; for a relay with its own or a self-signed certificate set agent.tls.ca-file to the CA's PEM file ("
          + message + ")";
    }
    if (e instanceof SSLException) {
      return "TLS with the relay failed: " + message;
    }
    if (message.contains("Failed to authenticate with proxy")) {
      return proxy.refusalAdvice();
    }
    if (message.startsWith("Unexpected response code for CONNECT")) {
      return "the proxy " + proxy.describe().get(0) + " refused to connect to the relay: " + message;
    }
    return message;
  }

  private String describe(int status, byte[] bytes) {
    if (status == 407) {
      return "HTTP 407: " + proxy.refusalAdvice();
    }
    try {
      Problem p = json.readValue(bytes, Problem.class);
      if (p.detail() != null) {
        return "HTTP " + status + (p.code() != null ? " " + p.code() : "") + ": " + p.detail();
      }
    } catch (IOException | RuntimeException ignored) {
      // not a problem document: a proxy's error page, say; the status alone says enough
    }
    return "HTTP " + status;
  }

  private static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
