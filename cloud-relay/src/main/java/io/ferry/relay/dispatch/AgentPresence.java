package io.ferry.relay.dispatch;

import io.ferry.relay.auth.AgentIdentity;
import io.ferry.relay.store.AccessStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which agents are online. Every agent call marks the agent seen in memory; the store gets the
 * last-seen time at most every {@link #WRITE_EVERY} per agent, off the request thread, so a poll
 * costs no extra disk write while "online" still survives a relay restart. The writes of many agents
 * go to the store together, in one transaction per batch: ten thousand agents polling are hundreds of
 * sightings a second, not hundreds of commits.
 */
public final class AgentPresence implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AgentPresence.class);
  static final Duration WRITE_EVERY = Duration.ofSeconds(5);

  /**
   * @param polledAt the agent's last poll (null: none since this relay started)
   * @param leftAt when the agent last said it stops; it is offline unless it polled after that
   */
  private record Seen(String agentGroup, Instant at, Instant writtenAt, Integer inFlight, Instant polledAt,
      Instant leftAt) {

    boolean left() {
      return leftAt != null && (polledAt == null || !polledAt.isAfter(leftAt));
    }

    boolean onlineSince(Instant since) {
      return !left() && at.isAfter(since);
    }
  }

  /**
   * What this relay knows of one agent's heartbeats.
   *
   * @param lastSeen the agent's last call (poll, lease renewal, result)
   * @param inFlight the jobs it said it was running at its last call that carried the count; null if none did
   * @param online whether {@code lastSeen} is within relay.agent-offline-after and the agent did not say it
   *     stops since its last poll: an agent that missed its heartbeats for that long, or stopped, is offline
   */
  public record Sighting(Instant lastSeen, Integer inFlight, boolean online) {}

  private final AccessStore store;
  private final Clock clock;
  private final Duration offlineAfter;
  /** tenant id → agent id → last seen. */
  private final Map<String, Map<String, Seen>> byTenant = new ConcurrentHashMap<>();
  private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(
      new NamedThreads("ferry-presence"));
  /**
   * A write waits this long for the sightings that follow it: the polls of an idle fleet come one by one, each
   * would otherwise be a transaction of its own (a commit, an fsync) — dozens a second for 10,000 agents.
   */
  static final Duration GATHER = Duration.ofMillis(250);
  private final Queue<AccessStore.AgentSeen> unwritten = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writing = new AtomicBoolean();
  /** At most this many sightings per transaction. */
  static final int WRITE_BATCH = 1_000;

  public AgentPresence(AccessStore store, Clock clock, Duration offlineAfter) {
    this.store = store;
    this.clock = clock;
    this.offlineAfter = offlineAfter;
  }

  /**
   * The agent polled (or, with SQS, sent its heartbeat): it takes jobs. Null values keep what is stored. A
   * poll after the agent said it stops makes it online again.
   */
  public void seen(AgentIdentity agent, String version, String backend, Integer inFlight) {
    record(agent, version, backend, inFlight, true, WRITE_EVERY);
  }

  /**
   * The agent has a poll parked on this relay, on its stream, and has had for a while: it is online as if it had just
   * polled. Asked every third of relay.agent-offline-after for every such agent, so the store gets the sighting only
   * every half of it — enough for the other relays sharing the store to see the agent online, at a fraction of the
   * writes of {@link #seen} for a fleet of idle agents.
   */
  public void stillPolling(AgentIdentity agent) {
    record(agent, null, null, null, true, offlineAfter.dividedBy(2));
  }

  /**
   * The agent renewed a lease or delivered a result: it is alive, but that alone does not bring back an agent
   * that said it stops — it finishes its jobs and takes no new ones.
   */
  public void working(AgentIdentity agent, Integer inFlight) {
    record(agent, null, null, inFlight, false, WRITE_EVERY);
  }

  private void record(AgentIdentity agent, String version, String backend, Integer inFlight, boolean polled,
      Duration writeEvery) {
    Instant now = clock.instant();
    boolean[] write = {false};
    byTenant.computeIfAbsent(agent.tenantId(), t -> new ConcurrentHashMap<>())
        .compute(agent.agentId(), (id, previous) -> {
          boolean revived = polled && previous != null && previous.left();
          write[0] = previous == null || revived || !now.isBefore(previous.writtenAt().plus(writeEvery));
          Integer count = inFlight != null ? inFlight : previous == null ? null : previous.inFlight();
          Instant polledAt = polled ? now : previous == null ? null : previous.polledAt();
          return new Seen(agent.agentGroup(), now, write[0] ? now : previous.writtenAt(), count, polledAt,
              previous == null ? null : previous.leftAt());
        });
    if (write[0]) {
      unwritten.add(new AccessStore.AgentSeen(agent.agentId(), now, version, backend, inFlight, polled));
      scheduleWrite();
    }
  }

  /**
   * The agent said it stops ({@code DELETE /agent/v1/poll} on a graceful stop): it is offline at once, here
   * and — through the store — on every relay sharing it, until it polls again. Written before this returns:
   * the relay answers the agent only once every engine would hear "no agent online".
   */
  public void left(AgentIdentity agent) {
    Instant now = clock.instant();
    markLeft(agent.tenantId(), agent.agentId(), agent.agentGroup(), now);
    store.recordAgentLeft(agent.tenantId(), agent.agentId(), now);
  }

  /** Another relay heard the agent say it stops at {@code at}. */
  public void leftElsewhere(String tenantId, String agentId, Instant at) {
    markLeft(tenantId, agentId, null, at);
  }

  private void markLeft(String tenantId, String agentId, String agentGroup, Instant at) {
    Map<String, Seen> agents = agentGroup == null ? byTenant.get(tenantId)
        : byTenant.computeIfAbsent(tenantId, t -> new ConcurrentHashMap<>());
    if (agents == null) {
      return;
    }
    agents.compute(agentId, (id, previous) -> {
      if (previous == null) {
        // Not seen here: remember the goodbye all the same, so a late sighting does not count as a poll after it.
        return agentGroup == null ? null : new Seen(agentGroup, at, at, null, null, at);
      }
      Instant leftAt = previous.leftAt() == null || at.isAfter(previous.leftAt()) ? at : previous.leftAt();
      return new Seen(previous.agentGroup(), previous.at(), previous.writtenAt(), previous.inFlight(),
          previous.polledAt(), leftAt);
    });
  }

  /** Whether an agent of the tenant (and group, unless null) was seen within relay.agent-offline-after. */
  public boolean isOnline(String tenantId, String agentGroup) {
    Instant since = clock.instant().minus(offlineAfter);
    Map<String, Seen> agents = byTenant.get(tenantId);
    if (agents != null) {
      for (Seen s : agents.values()) {
        if ((agentGroup == null || agentGroup.equals(s.agentGroup())) && s.onlineSince(since)) {
          return true;
        }
      }
    }
    // Not seen by this process: maybe before a restart, or at enrollment.
    return store.lastAgentSeen(tenantId, agentGroup).map(t -> t.isAfter(since)).orElse(false);
  }

  /**
   * The group of an agent of the tenant seen within relay.agent-offline-after by this process, the one seen
   * last; empty when none was. Where a job for any agent of the tenant goes when agents do not poll for it.
   */
  public Optional<String> onlineGroup(String tenantId) {
    Instant since = clock.instant().minus(offlineAfter);
    Map<String, Seen> agents = byTenant.get(tenantId);
    if (agents == null) {
      return Optional.empty();
    }
    return agents.values().stream().filter(s -> s.onlineSince(since))
        .max(java.util.Comparator.comparing(Seen::at)).map(Seen::agentGroup);
  }

  /**
   * When this relay process last heard from the agent, with its in-flight count and whether it counts as
   * online; empty when it has not heard from it since it started.
   */
  public Optional<Sighting> sighting(String tenantId, String agentId) {
    Map<String, Seen> agents = byTenant.get(tenantId);
    Seen s = agents == null ? null : agents.get(agentId);
    if (s == null) {
      return Optional.empty();
    }
    return Optional.of(new Sighting(s.at(), s.inFlight(), s.onlineSince(clock.instant().minus(offlineAfter))));
  }

  /** One writer at a time; sightings that arrive while it commits make up its next batch. */
  private void scheduleWrite() {
    if (!unwritten.isEmpty() && writing.compareAndSet(false, true)) {
      try {
        writer.schedule(this::writeBatches, GATHER.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // Shutting down: the next start reads the last write, at most WRITE_EVERY old.
        writing.set(false);
      }
    }
  }

  private void writeBatches() {
    try {
      List<AccessStore.AgentSeen> batch = new ArrayList<>();
      AccessStore.AgentSeen next;
      while (batch.size() < WRITE_BATCH && (next = unwritten.poll()) != null) {
        batch.add(next);
      }
      if (!batch.isEmpty()) {
        store.recordAgentsSeen(batch);
      }
    } catch (RuntimeException e) {
      LOG.warn("could not record that agents were seen: {}", e.getMessage());
    } finally {
      writing.set(false);
      scheduleWrite();
    }
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("presence writes still pending after 5s; dropping them");
        writer.shutdownNow();
        return;
      }
    } catch (InterruptedException e) {
      writer.shutdownNow();
      Thread.currentThread().interrupt();
      return;
    }
    // What was seen while the last batch was written: the writer takes no more work now.
    List<AccessStore.AgentSeen> rest = new ArrayList<>(unwritten);
    unwritten.clear();
    if (!rest.isEmpty()) {
      try {
        store.recordAgentsSeen(rest);
      } catch (RuntimeException e) {
        LOG.warn("could not record that agents were seen: {}", e.getMessage());
      }
    }
  }
}
