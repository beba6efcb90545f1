package io.ferry.relay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.PollRequest;
import io.ferry.protocol.Problem;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.StreamAnswer;
import io.ferry.protocol.StreamRequest;
import io.ferry.relay.auth.AgentIdentity;
import io.ferry.relay.auth.Authenticator;
import io.ferry.relay.store.StoreException;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's stream ({@link Protocol#STREAM_PATH}): a WebSocket an agent opens in a session, and then sends
 * its polls and result batches on instead of one HTTP request each. Each {@link StreamRequest} is taken as the
 * HTTP route takes it — the same {@link AgentHandlers} code, the same slot per poll, the same receipts — and
 * answered with a {@link StreamAnswer} of the same number. What the stream saves is per job: no request line and
 * headers to parse, no authentication, no access-log line, no connection hand-off.
 *
 * <p>The connection is authenticated once, at the upgrade ({@link Access.Kind#AGENT}, in a session only, since
 * the jobs a poll hands out are signed with the session's secret). Every poll on it asks whether the session
 * still stands, so a disabled agent or a replaced key ends the stream at its next poll, and a poll is never
 * held past the session's end: the agent opens its next stream in its next session.
 *
 * <p>A poll on a stream may ask to be held up to {@link #LONGEST_HOLD}, far longer than an HTTP long poll: the
 * agent's pings keep the connection alive through proxies and show a dead one within two ping intervals, so a
 * long hold costs nothing but spares the relay a poll answer and a new poll every relay.poll-hold — for a fleet
 * of idle agents, most of the relay's work. While such a poll is parked, the stream counts as the agent's
 * heartbeat ({@link #refreshPresence}).
 */
final class AgentStream {

  private static final Logger LOG = LoggerFactory.getLogger(AgentStream.class);
  private static final ObjectMapper JSON = Protocol.json();
  /** The connection's {@link Open}, on the upgrade request's attributes. */
  private static final String OPEN = "ferry.stream";
  /** A poll ends this long before its session, so its answer is signed with a secret the agent still holds. */
  private static final Duration SESSION_MARGIN = Duration.ofSeconds(15);
  /** Closes a stream whose session ended or whose agent was disabled (RFC 6455: policy violation). */
  private static final int CLOSE_SESSION_ENDED = 1008;
  /** Closes a stream that sent something that is not a stream request (RFC 6455: inconsistent data). */
  private static final int CLOSE_NOT_A_REQUEST = 1007;
  /** The longest a poll on a stream is held, when its agent asks for that long. */
  static final Duration LONGEST_HOLD = Duration.ofMinutes(15);
  /**
   * A stream that brings nothing for this long, not even a ping, is closed: three of the agent's pings (at most
   * 30 s apart) went missing, so the path is dead, and the poll parked on it must not be handed jobs for the rest
   * of its hold.
   */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(90);

  private final AgentHandlers handlers;
  private final Authenticator authenticator;
  private final Clock clock;
  /** Messages are taken off Jetty's reading thread: a result batch waits for the store's commit. */
  private final ExecutorService work =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ferry-stream-", 0).factory());
  private final Set<Open> open = ConcurrentHashMap.newKeySet();
  /** Holds of polls that do not say how long they wait (relay.poll-hold), as for an HTTP long poll. */
  private final Duration defaultHold;
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("ferry-stream-heartbeats").daemon(true).factory());

  /**
   * @param defaultHold how long a poll that does not ask for a hold is held (relay.poll-hold)
   * @param offlineAfter relay.agent-offline-after: an agent whose poll is parked on its stream is marked seen
   *     three times within it, so it never counts as offline while it waits
   */
  AgentStream(AgentHandlers handlers, Authenticator authenticator, Clock clock, Duration defaultHold,
      Duration offlineAfter) {
    this.handlers = handlers;
    this.authenticator = authenticator;
    this.clock = clock;
    this.defaultHold = defaultHold;
    long every = Math.max(1, offlineAfter.toMillis() / 3);
    heartbeats.scheduleWithFixedDelay(this::refreshPresence, every, every, TimeUnit.MILLISECONDS);
  }

  /** Streams open on this relay now. */
  int openStreams() {
    return open.size();
  }

  /** Every agent with a poll parked on its stream is online: its stream is its heartbeat while it waits. */
  void refreshPresence() {
    try {
      for (Open stream : open) {
        if (stream.pollsHeld.get() > 0) {
          handlers.stillPolling(stream.agent);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("could not mark the agents waiting on their streams as seen: {}", e.getMessage());
    }
  }

  /** Stops marking waiting agents as seen; the streams themselves close with the server. */
  void close() {
    heartbeats.shutdownNow();
  }

  /** The upgrade's own check, after {@link Guard}'s: a stream is opened in a session. */
  static void requireSession(AgentIdentity agent) {
    if (agent.session() == null) {
      throw new ProblemException(ProblemType.INVALID_AGENT_KEY, "a stream is opened in an agent session "
          + "(Authorization: " + io.ferry.protocol.AgentSessionToken.SCHEME + " …); open one at "
          + Protocol.SESSION_PATH + " first, or poll without a stream");
    }
  }

  void configure(WsConfig ws) {
    ws.onConnect(this::opened);
    ws.onMessage(this::received);
    ws.onClose(this::closed);
    ws.onError(ctx -> LOG.debug("agent stream {}: {}", ctx.sessionId(), String.valueOf(ctx.error())));
  }

  /** What one open stream knows: whose it is and whether a poll of it is held. */
  private static final class Open {
    final AgentIdentity agent;
    final Instant sessionEnds;
    final AtomicInteger pollsHeld = new AtomicInteger();

    Open(AgentIdentity agent, Instant sessionEnds) {
      this.agent = agent;
      this.sessionEnds = sessionEnds;
    }
  }

  private void opened(WsConnectContext ctx) {
    AgentIdentity agent = Guard.agentOfUpgrade(ctx);
    Open stream = new Open(agent, Authenticator.sessionEnd(agent));
    ctx.attribute(OPEN, stream);
    open.add(stream);
    // An agent has one stream: a new one means the previous one is gone or going (a network failure the relay may
    // not have seen, a new session). A poll still parked there would take a job nobody reads; it answers now.
    handlers.releasePoll(agent);
    LOG.debug("agent {} opened a stream", agent.agentId());
  }

  private void closed(WsCloseContext ctx) {
    Open stream = ctx.attribute(OPEN);
    if (stream == null) {
      return;
    }
    open.remove(stream);
    if (stream.pollsHeld.get() > 0) {
      // Nobody will read that poll's answer: a job handed to it now would wait out its lease.
      handlers.releasePoll(stream.agent);
    }
    LOG.debug("agent {} closed a stream ({} {})", stream.agent.agentId(), ctx.status(), ctx.reason());
  }

  private void received(WsMessageContext ctx) {
    Open stream = ctx.attribute(OPEN);
    StreamRequest request;
    try {
      request = handlers.bodies().agentMessage(ctx.message().getBytes(StandardCharsets.UTF_8), StreamRequest.class);
    } catch (ProblemException e) {
      LOG.warn("agent {} sent a stream message that is not a stream request ({}); the stream is closed",
          stream.agent.agentId(), e.detail);
      ctx.closeSession(CLOSE_NOT_A_REQUEST, "not a stream request");
      return;
    }
    work.execute(() -> take(ctx, stream, request));
  }

  private void take(WsContext ctx, Open stream, StreamRequest request) {
    try {
      if ((request.poll() == null) == (request.results() == null)) {
        throw new ProblemException(ProblemType.INVALID_AGENT_MESSAGE,
            "a stream request carries exactly one of poll and results");
      }
      if (request.results() != null) {
        send(ctx, StreamAnswer.receipts(request.id(), handlers.takeResults(stream.agent, request.results())));
        return;
      }
      if (!authenticator.sessionStands(stream.agent)) {
        send(ctx, StreamAnswer.problem(request.id(), Problems.problem(new ProblemException(
            ProblemType.INVALID_AGENT_KEY, "the stream's session ended, or its agent was disabled or has another key "
                + "now; the agent opens a new session and stream by itself"), Protocol.STREAM_PATH)));
        ctx.closeSession(CLOSE_SESSION_ENDED, "session ended");
        return;
      }
      handlers.acquirePollSlot(stream.agent);
      stream.pollsHeld.incrementAndGet();
      try {
        handlers.pollInSlot(stream.agent, heldWithinSession(request.poll(), stream), LONGEST_HOLD)
            .whenComplete((jobs, failure) -> {
              stream.pollsHeld.decrementAndGet();
              send(ctx, failure == null ? StreamAnswer.jobs(request.id(), jobs) : problem(request.id(), failure));
            });
      } catch (RuntimeException e) {
        stream.pollsHeld.decrementAndGet();
        handlers.releasePollSlot(stream.agent);
        throw e;
      }
    } catch (RuntimeException e) {
      send(ctx, problem(request.id(), e));
    }
  }

  /** The poll, held as long as it asks (relay.poll-hold if it does not say), and no longer than its session allows. */
  private PollRequest heldWithinSession(PollRequest poll, Open stream) {
    long left = Duration.between(clock.instant(), stream.sessionEnds).minus(SESSION_MARGIN).toSeconds();
    long asked = poll.holdSeconds() == null ? defaultHold.toSeconds() : poll.holdSeconds();
    long hold = Math.max(0, Math.min(left, asked));
    return poll.heldFor((int) Math.min(hold, Integer.MAX_VALUE));
  }

  private static StreamAnswer problem(long id, Throwable thrown) {
    Throwable t = thrown instanceof java.util.concurrent.CompletionException && thrown.getCause() != null
        ? thrown.getCause() : thrown;
    ProblemException p;
    if (t instanceof ProblemException known) {
      p = known;
    } else if (t instanceof StoreException) {
      LOG.error("agent stream: {}", t.getMessage());
      p = new ProblemException(ProblemType.STORE_UNAVAILABLE, "the relay could not read or write its store; "
          + "try again shortly");
    } else {
      LOG.error("agent stream: a request failed unexpectedly", t);
      p = new ProblemException(ProblemType.INTERNAL, "the relay failed unexpectedly");
    }
    Problem body = Problems.problem(p, Protocol.STREAM_PATH);
    return StreamAnswer.problem(id, body);
  }

  /** One frame at a time per connection: answers come from whichever thread finished them. */
  private static void send(WsContext ctx, StreamAnswer answer) {
    String text;
    try {
      text = JSON.writeValueAsString(answer);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialise a stream answer", e);
    }
    synchronized (ctx.session) {
      if (ctx.session.isOpen()) {
        ctx.send(text);
      }
    }
  }
}
