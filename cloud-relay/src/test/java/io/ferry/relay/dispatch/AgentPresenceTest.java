package io.ferry.relay.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.relay.auth.AgentIdentity;
import io.ferry.relay.store.AccessStore;
import io.ferry.testing.ManualClock;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Heartbeats: an agent that stops calling is offline after relay.agent-offline-after, and its last call stays known. */
class AgentPresenceTest {

  private static final AgentIdentity AGENT = new AgentIdentity("ag_1", "tn_1", "default");

  private final ManualClock clock = new ManualClock();
  /** A store that never heard of any agent: the test is about what this process saw. */
  private final AccessStore store = (AccessStore) Proxy.newProxyInstance(AccessStore.class.getClassLoader(),
      new Class<?>[] {AccessStore.class}, (p, m, args) -> m.getReturnType() == Optional.class ? Optional.empty() : null);
  private final AgentPresence presence = new AgentPresence(store, clock, Duration.ofSeconds(90));

  @AfterEach
  void close() {
    presence.close();
  }

  @Test
  void anAgentThatMissesItsHeartbeatsGoesOfflineAndItsLastCallStaysKnown() {
    presence.seen(AGENT, "1.0", "bapi", 3);
    Instant polled = clock.instant();
    clock.advance(Duration.ofSeconds(20));
    presence.seen(AGENT, null, null, null); // a lease renewal: no count, the poll's stays

    assertThat(presence.isOnline("tn_1", "default")).isTrue();
    assertThat(presence.sighting("tn_1", "ag_1")).hasValueSatisfying(s -> {
      assertThat(s.lastSeen()).isEqualTo(polled.plusSeconds(20));
      assertThat(s.inFlight()).isEqualTo(3);
      assertThat(s.online()).isTrue();
    });

    clock.advance(Duration.ofSeconds(91));

    assertThat(presence.isOnline("tn_1", "default")).isFalse();
    assertThat(presence.sighting("tn_1", "ag_1")).hasValueSatisfying(s -> {
      assertThat(s.online()).isFalse();
      assertThat(s.lastSeen()).isEqualTo(polled.plusSeconds(20));
    });
  }

  @Test
  void aNewCountReplacesTheOldOne() {
    presence.seen(AGENT, "1.0", "bapi", 3);
    presence.seen(AGENT, "1.0", "bapi", 0);

    assertThat(presence.sighting("tn_1", "ag_1").orElseThrow().inFlight()).isZero();
    assertThat(presence.sighting("tn_1", "ag_2")).isEmpty();
  }

  @Test
  void sightingsThatArriveDuringAWriteAreWrittenTogether() throws Exception {
    java.util.List<java.util.List<String>> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch firstWriteHeld = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AccessStore recording = (AccessStore) Proxy.newProxyInstance(AccessStore.class.getClassLoader(),
        new Class<?>[] {AccessStore.class}, (p, m, args) -> {
          if (m.getName().equals("recordAgentsSeen")) {
            @SuppressWarnings("unchecked")
            java.util.List<AccessStore.AgentSeen> seen = (java.util.List<AccessStore.AgentSeen>) args[0];
            batches.add(seen.stream().map(AccessStore.AgentSeen::agentId).toList());
            firstWriteHeld.countDown();
            release.await(); // the disk is slow: the next sightings gather meanwhile
            return null;
          }
          return m.getReturnType() == Optional.class ? Optional.empty() : null;
        });
    try (AgentPresence many = new AgentPresence(recording, clock, Duration.ofSeconds(90))) {
      many.seen(new AgentIdentity("ag_0", "tn_1", "default"), "1.0", "bapi", 0);
      firstWriteHeld.await();
      for (int i = 1; i < 500; i++) {
        many.seen(new AgentIdentity("ag_" + i, "tn_1", "default"), "1.0", "bapi", 0);
      }
      release.countDown();
    } // close waits for the writes

    assertThat(batches).hasSize(2);
    assertThat(batches.get(0)).containsExactly("ag_0");
    assertThat(batches.get(1)).hasSize(499).startsWith("ag_1").endsWith("ag_499");
  }
}
