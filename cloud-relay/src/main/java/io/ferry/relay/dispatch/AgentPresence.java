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
import java.util.concurrent.ExecutorService;
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

  private record Seen(String agentGroup, Instant at, Instant writtenAt, Integer inFlight) {}

  /**
   * What this relay knows of one agent's heartbeats.
   *
   * @param lastSeen the agent's last call (poll, lease renewal, result)
   * @param inFlight the jobs it said it was running at its last call that carried the count; null if none did
   * @param online whether {@code lastSeen} is within relay.agent-offline-after: an agent that missed its
   *     heartbeats for that long counts as offline
   */
  public record Sighting(Instant lastSeen, Integer inFlight, boolean online) {}

  private final AccessStore store;
  private final Clock clock;
  private final Duration offlineAfter;
  /** tenant id → agent id → last seen. */
  private final Map<String, Map<String, Seen>> byTenant = new ConcurrentHashMap<>();
  private final ExecutorService writer = Executors.newSingleThreadExecutor(new NamedThreads("ferry-presence"));
  private final Queue<AccessStore.AgentSeen> unwritten = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writing = new AtomicBoolean();
  /** At most this many sightings per transaction. */
  static final int WRITE_BATCH = 1_000;

  public AgentPresence(AccessStore store, Clock clock, Duration offlineAfter) {
    this.store = store;
    this.clock = clock;
    this.offlineAfter = offlineAfter;
  }

  /** The agent called. Null values (a lease renewal knows no version) keep what is stored. */
  public void seen(AgentIdentity agent, String version, String backend, Integer inFlight) {
    Instant now = clock.instant();
    boolean[] write = {false};
    byTenant.computeIfAbsent(agent.tenantId(), t -> new ConcurrentHashMap<>())
        .compute(agent.agentId(), (id, previous) -> {
          write[0] = previous == null || !now.isBefore(previous.writtenAt().plus(WRITE_EVERY));
          Integer count = inFlight != null ? inFlight : previous == null ? null : previous.inFlight();
          return new Seen(agent.agentGroup(), now, write[0] ? now : previous.writtenAt(), count);
        });
    if (write[0]) {
      unwritten.add(new AccessStore.AgentSeen(agent.agentId(), now, version, backend, inFlight));
      scheduleWrite();
    }
  }

  /** Whether an agent of the tenant (and group, unless null) was seen within relay.agent-offline-after. */
  public boolean isOnline(String tenantId, String agentGroup) {
    Instant since = clock.instant().minus(offlineAfter);
    Map<String, Seen> agents = byTenant.get(tenantId);
    if (agents != null) {
      for (Seen s : agents.values()) {
        if ((agentGroup == null || agentGroup.equals(s.agentGroup())) && s.at().isAfter(since)) {
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
    return agents.values().stream().filter(s -> s.at().isAfter(since))
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
    return Optional.of(new Sighting(s.at(), s.inFlight(), s.at().isAfter(clock.instant().minus(offlineAfter))));
  }

  /** One writer at a time; sightings that arrive while it commits make up its next batch. */
  private void scheduleWrite() {
    if (!unwritten.isEmpty() && writing.compareAndSet(false, true)) {
      try {
        writer.execute(this::writeBatches);
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
