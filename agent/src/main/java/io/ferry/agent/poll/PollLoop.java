package io.ferry.agent.poll;

import io.ferry.agent.relay.AgentVersion;
import io.ferry.agent.relay.RelayClient;
import io.ferry.agent.relay.RelayException;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.PollRequest;
import io.ferry.protocol.PollResponse;
import io.ferry.protocol.Protocol;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's heartbeat: poll, hand the jobs to the executor, poll again. It owns the back-off and the
 * stop check, and catches everything so that it never dies while the agent runs.
 */
public final class PollLoop implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(PollLoop.class);

  private final RelayClient relay;
  private final JobSink sink;
  private final Backoff backoff;
  private final Sleeper sleeper = new Sleeper();
  private final String backendName;
  private final CountDownLatch connected = new CountDownLatch(1);
  private volatile boolean stopping;
  private volatile boolean unauthorizedLogged;
  private final Clock clock;
  private final PollWatchdog watchdog;
  private volatile Instant lastSuccess;
  /** Set by the watchdog when it gave up the poll in flight; read by the loop when that poll ends. */
  private volatile boolean abandoned;
  private final AtomicLong abandonedPolls = new AtomicLong();
  private volatile Runnable onReconnect = () -> {};
  private volatile Supplier<String> catalog = () -> null;

  /** With the default watchdog: a poll silent for 60 s (30 s hold + 30 s grace) is abandoned. */
  public PollLoop(RelayClient relay, JobSink sink, Backoff backoff, String backendName) {
    this(relay, sink, backoff, backendName, Clock.systemUTC(), DEFAULT_WATCHDOG);
  }

  /**
   * @param watchdog how long a poll may run before it is abandoned and a new one started: the relay's
   *     hold plus a grace ({@code agent.poll-watchdog})
   */
  public PollLoop(RelayClient relay, JobSink sink, Backoff backoff, String backendName, Clock clock, Duration watchdog) {
    this(relay, sink, backoff, backendName, clock, new PollWatchdog(watchdog, PollWatchdog.threaded()));
  }

  PollLoop(RelayClient relay, JobSink sink, Backoff backoff, String backendName, Clock clock, PollWatchdog watchdog) {
    this.relay = relay;
    this.sink = sink;
    this.backoff = backoff;
    this.backendName = backendName;
    this.clock = clock;
    this.watchdog = watchdog;
  }

  /**
   * Runs {@code r} whenever the relay answers again after polls failed: the journal then sends what
   * waited for it at once instead of at the end of its own back-off.
   */
  public PollLoop onReconnect(Runnable r) {
    this.onReconnect = r;
    return this;
  }

  /**
   * Names in every poll the fingerprint {@code catalog} supplies at that moment (the agent's generic grants and the
   * interfaces of its allowed functions), so that the relay drops what it cached when it changes; null: none.
   */
  public PollLoop catalog(Supplier<String> fingerprint) {
    this.catalog = fingerprint;
    return this;
  }

  /**
   * 30 s (the relay's default hold) + 30 s grace. Half of it is the stream's ping interval
   * ({@code RelayClient.STREAM_PING}), so a dead stream shows within it as a stuck HTTP poll does.
   */
  public static final Duration DEFAULT_WATCHDOG = Duration.ofSeconds(60);

  @Override
  public void run() {
    log.info("FERRY-AGENT-0001 polling the relay for jobs");
    while (!stopping) {
      try {
        int capacity = sink.awaitCapacity();
        if (stopping || capacity == 0) {
          break;
        }
        pollOnce(capacity);
        Duration delay = backoff.nextDelay();
        if (!delay.isZero()) {
          sleeper.sleep(delay);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        // A bug must not stop the agent from taking work; log it and carry on after a pause.
        log.error("FERRY-AGENT-0009 unexpected error in the poll loop; polling continues", e);
        backoff.failure(Backoff.Failure.ERROR);
      }
    }
    watchdog.close();
    log.info("FERRY-AGENT-0002 stopped polling");
  }

  private void pollOnce(int capacity) {
    // Not held the first time and after an error: the answer tells at once that the relay is reachable.
    boolean unsure = connected.getCount() > 0 || backoff.failures() > 0;
    PollRequest request = new PollRequest(Protocol.VERSION, capacity, sink.inFlight(), AgentVersion.current(), backendName,
        unsure ? 0 : null, relay.runId(), PollRequest.KNOWN_ACTIONS, catalog.get());
    abandoned = false;
    PollWatchdog.Armed timer = watchdog.arm(this::abandon);
    try {
      PollResponse response;
      try {
        response = relay.poll(request);
      } finally {
        timer.disarm();
      }
      if (connected.getCount() > 0 || backoff.failures() > 0 || unauthorizedLogged) {
        log.info("FERRY-AGENT-0003 connected to the relay");
        unauthorizedLogged = false;
        onReconnect.run();
      }
      backoff.success();
      lastSuccess = clock.instant();
      connected.countDown();
      for (JobEnvelope job : response.jobs()) {
        sink.accept(job);
      }
    } catch (RelayException e) {
      switch (e.kind()) {
        case CANCELLED -> {
          if (abandoned && !stopping) {
            // Polled again on a fresh connection after the first back-off step, as after any error; that
            // poll is not held, so a path that is still broken shows within one more watchdog period.
            backoff.failure(Backoff.Failure.ERROR);
          }
        }
        case UNAUTHORIZED -> {
          if (!unauthorizedLogged) {
            log.error("FERRY-AGENT-0004 the relay refused this agent's identity ({}); the agent may have been disabled. "
                + "Enroll it again with `ferry agent enroll`. Retrying slowly.", e.getMessage());
            unauthorizedLogged = true;
          }
          backoff.failure(Backoff.Failure.THROTTLED, Duration.ofSeconds(60));
        }
        case BUSY -> {
          log.warn("FERRY-AGENT-0005 the relay is busy ({}); backing off", e.getMessage());
          backoff.failure(Backoff.Failure.THROTTLED, e.retryAfter());
        }
        default -> {
          if (backoff.failures() == 0) {
            log.warn("FERRY-AGENT-0006 poll failed: {}; retrying with back-off", e.getMessage());
          } else {
            log.debug("poll failed again: {}", e.getMessage());
          }
          backoff.failure(Backoff.Failure.ERROR);
        }
      }
    }
  }

  /** The watchdog fired: give up the poll in flight so that the loop starts a new one. */
  private void abandon() {
    if (stopping) {
      return;
    }
    abandoned = true;
    if (relay.abandonPoll()) {
      abandonedPolls.incrementAndGet();
      log.warn("FERRY-AGENT-0007 a poll neither returned nor failed within {} s (agent.poll-watchdog): the connection "
          + "to the relay looks stuck; abandoning the poll and polling again on a fresh connection",
          watchdog.limit().toSeconds());
    }
  }

  /** Polls the watchdog gave up since the start. */
  public long abandonedPolls() {
    return abandonedPolls.get();
  }

  /** When a poll last reached the relay (answered, with or without jobs). */
  public Optional<Instant> lastSuccess() {
    return Optional.ofNullable(lastSuccess);
  }

  /** True once a poll has reached the relay; lets a starter wait for a working connection. */
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    return connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Asks the loop to stop: ends a held poll and any back-off wait at once. Idempotent. */
  public void stop() {
    stopping = true;
    sleeper.wakeUp();
    relay.stopPolling();
  }
}
