package io.ferry.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.agent.relay.AgentVersion;
import io.ferry.protocol.AgentSession;
import io.ferry.protocol.AgentSessionToken;
import io.ferry.protocol.AgentToken;
import io.ferry.protocol.EnrollRequest;
import io.ferry.protocol.EnrollResponse;
import io.ferry.protocol.PollRequest;
import io.ferry.protocol.Protocol;
import io.ferry.relay.admin.RelayAdmin;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many idle agents polling one relay: a real {@code ferry relay serve} process (its CPU and memory are
 * its own), the agents simulated here as what they are on the wire — enrolled with their own key pair,
 * a session opened with a signed request, then (as agents do by default) their polls on a stream, a WebSocket
 * opened in the session and pinged every 30 s, or with {@code --idle-transport poll} each poll an HTTP request
 * carrying the session's MAC — on one asynchronous HTTP client, so thousands of parked polls need no thread each.
 */
final class IdleAgents {

  static final String SCENARIO = "idle agents";
  /** The heap the target allows the relay. */
  static final String RELAY_JVM = "-Xmx1g";

  private static final ObjectMapper JSON = Protocol.json();

  private final Settings settings;
  private final PrintStream progress;
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger sessions = new java.util.concurrent.atomic.AtomicInteger();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();
  private volatile boolean stopping;

  IdleAgents(Settings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** An enrolled agent and, once it opened one, its session (as the agent keeps it: renewed a minute before it ends). */
  private record Enrolled(String agentId, KeyPair keys, AtomicReference<Session> session) {
    Enrolled(String agentId, KeyPair keys) {
      this(agentId, keys, new AtomicReference<>());
    }
  }

  private record Session(String name, byte[] secret, Instant renewAt) {}

  List<Row> run() throws Exception {
    int n = settings.idleAgents();
    Path dir = Files.createDirectories(settings.workDir().resolve("idle-agents"));
    Path dataDir = dir.resolve("relay");
    progress.println(SCENARIO + ": " + n + " enrollment tokens (offline admin)");
    List<String> tokens = new ArrayList<>(n);
    try (RelayAdmin.Offline admin = RelayAdmin.open(dataDir);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(16)) {
      String tenant = admin.createTenant("bench-idle");
      List<java.util.concurrent.Future<String>> made = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        // Side by side: the store commits concurrent writes together.
        made.add(pool.submit(() -> admin.createEnrollmentToken(tenant, "default", Duration.ofHours(6))));
      }
      for (var f : made) {
        tokens.add(f.get());
      }
    }
    List<String> jvm = new ArrayList<>(List.of(RELAY_JVM));
    // For profiling the relay process, e.g. FERRY_BENCH_RELAY_JAVA_OPTS=-XX:StartFlightRecording=filename=relay.jfr
    String extra = System.getenv("FERRY_BENCH_RELAY_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      jvm.addAll(List.of(extra.strip().split("\\s+")));
    }
    FerryProcess.Started<FerryProcess> relay = FerryProcess.relay(settings.launcher(), jvm, dataDir,
        dir.resolve("relay.log"));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(20)).build();
    try (FerryProcess process = relay.process()) {
      progress.println(SCENARIO + ": enrolling " + n + " agents with " + relay.url());
      List<Enrolled> agents = enroll(http, relay.url(), tokens);
      Duration hold = Duration.ofSeconds(30);
      // Agents start at random moments over a third of the hold, as a fleet does, not all in one millisecond.
      Duration ramp = hold.dividedBy(3);
      progress.println(SCENARIO + ": " + n + " agents start polling over " + Scenarios.human(ramp));
      String runId = UUID.randomUUID().toString();
      if (settings.idleOnStreams()) {
        startPinging();
      }
      for (Enrolled a : agents) {
        long delay = ThreadLocalRandom.current().nextLong(ramp.toMillis());
        CompletableFuture.runAsync(() -> poll(http, relay.url(), a, runId),
            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS));
      }
      // Settle: every agent is past its first poll, has opened its session (the relay's one costly moment per
      // agent and hour, which a fleet spreads over the hour) and holds a poll parked.
      sleep(ramp);
      long settleUntil = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (sessions.get() < n && System.nanoTime() < settleUntil) {
        progress.println(SCENARIO + ": " + sessions.get() + " of " + n + " agents have opened their session");
        sleep(Duration.ofSeconds(5));
      }
      sleep(Duration.ofSeconds(5));
      progress.println(SCENARIO + ": observing the relay for " + Scenarios.human(settings.idleWindow()));
      long cpu0 = Resources.cpuNanos(process.pid()).orElse(-1);
      long answered0 = answered.get();
      long failed0 = failed.get();
      long t0 = System.nanoTime();
      sleep(settings.idleWindow());
      long wall = System.nanoTime() - t0;
      long cpu1 = Resources.cpuNanos(process.pid()).orElse(-1);
      double minutes = wall / 60e9;
      double perMinute = (answered.get() - answered0) / minutes;
      long failures = failed.get() - failed0;
      Long rss = Resources.rss(process.pid()).stream().boxed().findFirst().orElse(null);
      Long heap = Resources.liveHeap(process.pid()).stream().boxed().findFirst().orElse(null);
      Double cores = cpu0 < 0 || cpu1 < 0 ? null : (double) (cpu1 - cpu0) / wall;
      stopping = true;
      String note = n + " agents, " + (settings.idleOnStreams() ? "each polling on its stream (a WebSocket, pinged "
          + "every " + Scenarios.human(PING) + ", each poll held " + Scenarios.human(STREAM_HOLD) + " as the agent asks, "
          + "the first ones spread over it)" : "each long-polling with HTTP requests, poll hold " + Scenarios.human(hold))
          + ", relay process " + RELAY_JVM
          + "; observed once every agent had opened its session (" + sessions.get() + " of " + n + "; each renews it"
          + " once an hour, about " + Math.round(n / 3540.0 * 10) / 10.0 + " opens a second for this fleet)"
          + "; CPU and memory of the relay process only; heap = live heap after a full GC";
      if (failures > 0) {
        note += "; " + failures + " failed polls, first: " + firstFailure.get();
      }
      if (!process.isAlive()) {
        note += "; the relay process DIED: " + process.tail();
      }
      return List.of(new Row(SCENARIO + (settings.idleOnStreams() ? " on streams" : " long-polling") + " (" + n + ")",
          "relay-process", "(b) relay process, SQLite", perMinute,
          "polls/min", null, cores, heap, rss, note, null));
    } finally {
      stopping = true;
      http.shutdownNow();
    }
  }

  private List<Enrolled> enroll(HttpClient http, URI relay, List<String> tokens) throws Exception {
    Semaphore inFlight = new Semaphore(16);
    List<CompletableFuture<Enrolled>> all = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      KeyPair keys = AgentToken.newKeyPair();
      EnrollRequest request = new EnrollRequest(Protocol.VERSION, tokens.get(i), "bench-agent-" + i, "bench-host-" + i,
          AgentVersion.current(), AgentToken.encodePublicKey(keys.getPublic()));
      inFlight.acquire();
      all.add(http.sendAsync(HttpRequest.newBuilder(relay.resolve(Protocol.ENROLL_PATH))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request))).build(),
              HttpResponse.BodyHandlers.ofByteArray())
          .whenComplete((r, e) -> inFlight.release())
          .thenApply(r -> {
            if (r.statusCode() != 200) {
              throw new IllegalStateException("enrollment answered " + r.statusCode() + ": " + new String(r.body()));
            }
            try {
              return new Enrolled(JSON.readValue(r.body(), EnrollResponse.class).agentId(), keys);
            } catch (java.io.IOException e) {
              throw new IllegalStateException(e);
            }
          }));
    }
    List<Enrolled> enrolled = new ArrayList<>();
    for (CompletableFuture<Enrolled> f : all) {
      enrolled.add(f.get(2, TimeUnit.MINUTES));
    }
    return enrolled;
  }

  /** One agent's poll loop, as chained futures: a poll, its answer, the next poll. */
  private void poll(HttpClient http, URI relay, Enrolled agent, String runId) {
    if (stopping) {
      return;
    }
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(new PollRequest(Protocol.VERSION, 1, 0, AgentVersion.current(), "bapi", null,
          runId + "-" + agent.agentId()));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    Session session = agent.session().get();
    if (session == null || Instant.now().isAfter(session.renewAt())) {
      openSession(http, relay, agent).whenComplete((ignored, e) -> pollNow(http, relay, agent, runId, body));
      return;
    }
    pollNow(http, relay, agent, runId, body);
  }

  /**
   * What the agent does (agent.relay.SessionAuthorization): one signed request opens a session, the polls
   * carry a MAC made with its secret. Without a session (the open failed) the poll is signed.
   */
  private CompletableFuture<Void> openSession(HttpClient http, URI relay, Enrolled agent) {
    String signed = AgentToken.sign(agent.keys().getPrivate(), agent.agentId(), "POST", Protocol.SESSION_PATH,
        Instant.now());
    Instant asked = Instant.now();
    return http.sendAsync(HttpRequest.newBuilder(relay.resolve(Protocol.SESSION_PATH))
            .timeout(Duration.ofSeconds(30)).header("Authorization", signed)
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray())
        .thenAccept(r -> {
          if (r.statusCode() == 200) {
            try {
              AgentSession s = JSON.readValue(r.body(), AgentSession.class);
              boolean first = agent.session().get() == null;
              agent.session().set(new Session(s.session(), s.open(agent.keys().getPrivate()),
                  asked.plusSeconds(s.expiresInSeconds() - 60)));
              if (first) {
                sessions.incrementAndGet();
              }
            } catch (java.io.IOException e) {
              agent.session().set(null);
            }
          }
        });
  }

  private void pollNow(HttpClient http, URI relay, Enrolled agent, String runId, byte[] body) {
    Session session = agent.session().get();
    if (settings.idleOnStreams() && session != null) {
      openStream(http, relay, agent, session, runId);
      return;
    }
    String auth = session != null
        ? AgentSessionToken.header(session.name(), session.secret(), "POST", Protocol.POLL_PATH, Instant.now())
        : AgentToken.sign(agent.keys().getPrivate(), agent.agentId(), "POST", Protocol.POLL_PATH, Instant.now());
    HttpRequest request = HttpRequest.newBuilder(relay.resolve(Protocol.POLL_PATH))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .header("Authorization", auth)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
      if (e == null && r.statusCode() == 200) {
        answered.incrementAndGet();
        poll(http, relay, agent, runId);
        return;
      }
      if (!stopping) {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, e != null ? rootCause(e) : "HTTP " + r.statusCode());
      }
      // An agent backs off after an error: so does this one.
      CompletableFuture.runAsync(() -> poll(http, relay, agent, runId),
          CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));
    });
  }

  /**
   * What the agent does with {@code agent.transport=stream}: one WebSocket in its session, a poll on it, the next
   * poll when the answer comes; a ping every {@link #PING} (OkHttp's ping interval in the agent).
   */
  private void openStream(HttpClient http, URI relay, Enrolled agent, Session session, String runId) {
    if (stopping) {
      return;
    }
    String auth = AgentSessionToken.header(session.name(), session.secret(), "GET", Protocol.STREAM_PATH,
        Instant.now());
    URI ws = URI.create(relay.toString().replaceFirst("^http", "ws") + Protocol.STREAM_PATH);
    StreamAgent listener = new StreamAgent(http, relay, agent, runId);
    http.newWebSocketBuilder().header("Authorization", auth).connectTimeout(Duration.ofSeconds(20))
        .buildAsync(ws, listener)
        .whenComplete((socket, e) -> {
          if (e != null) {
            streamFailed(http, relay, agent, runId, e);
            return;
          }
          listener.pollAgain(socket);
          pinging.add(socket);
        });
  }

  private void streamFailed(HttpClient http, URI relay, Enrolled agent, String runId, Throwable e) {
    if (stopping) {
      return;
    }
    failed.incrementAndGet();
    firstFailure.compareAndSet(null, rootCause(e));
    CompletableFuture.runAsync(() -> poll(http, relay, agent, runId),
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));
  }

  /** How long an agent's poll on its stream asks to be held. */
  private static final Duration STREAM_HOLD = io.ferry.agent.relay.RelayClient.STREAM_HOLD;
  /** How often an agent pings its stream: OkHttp's ping interval in the agent. */
  private static final Duration PING = io.ferry.agent.relay.RelayClient.STREAM_PING;
  private final java.util.Queue<java.net.http.WebSocket> pinging = new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** Pings every stream once per {@link #PING}, spread over it (one pass a second over a twentieth of them). */
  private void startPinging() {
    Thread.ofPlatform().daemon().name("bench-idle-pings").start(() -> {
      java.nio.ByteBuffer empty = java.nio.ByteBuffer.allocate(0);
      while (!stopping) {
        int batch = Math.max(1, pinging.size() / (int) PING.toSeconds());
        for (int i = 0; i < batch && !stopping; i++) {
          java.net.http.WebSocket socket = pinging.poll();
          if (socket == null) {
            break;
          }
          if (!socket.isOutputClosed()) {
            try {
              socket.sendPing(empty.duplicate());
            } catch (IllegalStateException busy) {
              // a poll is being sent on it just now: this round's ping is skipped
            }
            pinging.add(socket);
          }
        }
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  /** One agent's stream: each answer to its poll sends the next poll. */
  private final class StreamAgent implements java.net.http.WebSocket.Listener {
    private final HttpClient http;
    private final URI relay;
    private final Enrolled agent;
    private final String runId;
    private final StringBuilder partial = new StringBuilder();
    private long ids;

    StreamAgent(HttpClient http, URI relay, Enrolled agent, String runId) {
      this.http = http;
      this.relay = relay;
      this.agent = agent;
      this.runId = runId;
    }

    void pollAgain(java.net.http.WebSocket socket) {
      if (stopping) {
        return;
      }
      try {
        // As the agent asks on its stream (RelayClient.STREAM_HOLD); the first poll of each asks for a random part of
        // it, so that the fleet's answers are spread over the hold from the start, as they are after one hold.
        long hold = ids == 0 ? ThreadLocalRandom.current().nextLong(1, STREAM_HOLD.toSeconds() + 1)
            : STREAM_HOLD.toSeconds();
        String text = JSON.writeValueAsString(io.ferry.protocol.StreamRequest.poll(++ids,
            new PollRequest(Protocol.VERSION, 1, 0, AgentVersion.current(), "bapi", (int) hold,
                runId + "-" + agent.agentId())));
        socket.sendText(text, true);
      } catch (java.io.IOException | IllegalStateException e) {
        socket.abort();
        streamFailed(http, relay, agent, runId, e);
      }
    }

    @Override
    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket socket, CharSequence data,
        boolean last) {
      partial.append(data);
      socket.request(1);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          io.ferry.protocol.StreamAnswer answer = JSON.readValue(text, io.ferry.protocol.StreamAnswer.class);
          if (answer.problem() != null) {
            socket.abort();
            streamFailed(http, relay, agent, runId, new IllegalStateException("HTTP " + answer.problem().status()
                + " on the stream: " + answer.problem().detail()));
            return null;
          }
        } catch (java.io.IOException e) {
          socket.abort();
          streamFailed(http, relay, agent, runId, e);
          return null;
        }
        answered.incrementAndGet();
        pollAgain(socket);
      }
      return null;
    }

    @Override
    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket socket, int statusCode,
        String reason) {
      streamFailed(http, relay, agent, runId, new IllegalStateException("the relay closed the stream: " + statusCode
          + " " + reason));
      return null;
    }

    @Override
    public void onError(java.net.http.WebSocket socket, Throwable error) {
      streamFailed(http, relay, agent, runId, error);
    }
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.toString();
  }

  private static void sleep(Duration d) throws InterruptedException {
    Thread.sleep(d);
  }
}
