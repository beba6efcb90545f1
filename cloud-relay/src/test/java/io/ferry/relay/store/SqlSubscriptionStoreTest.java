package io.ferry.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.relay.store.SubscriptionStore.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The subscriptions table (V15) on a real SQLite file and a real PostgreSQL database: the starting position,
 * tenants, the lease two relays compete for, positions and the retry state.
 */
@ParameterizedClass
@EnumSource(StoreSettings.Kind.class)
class SqlSubscriptionStoreTest {

  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private static final Duration LEASE = Duration.ofMinutes(2);

  @TempDir
  Path dir;
  @Parameter
  StoreSettings.Kind kind;
  private TestStore opened;
  private SubscriptionStore subscriptions;
  private String tenant;
  private String other;

  @BeforeEach
  void open() {
    opened = TestStore.open(kind, dir);
    subscriptions = opened.store().subscriptions();
    tenant = opened.store().access().ensureTenant("acme", Ulid.next(), NOW);
    other = opened.store().access().ensureTenant("globex", Ulid.next(), NOW);
  }

  @AfterEach
  void close() {
    opened.close();
  }

  private Subscription create(String tenantId) {
    return subscriptions.create(Ulid.next(), tenantId, Ulid.next(), Set.of("customer.changed", "customer.created"),
        "https://flows.example.com/hook?token=t", NOW);
  }

  private void addChanges(String tenantId, int n) {
    List<ChangeStore.NewChange> changes = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      changes.add(new ChangeStore.NewChange("chg_" + Ulid.next(), "customer.changed", "0000100001", null, NOW, null));
    }
    opened.store().changes().add(tenantId, changes, NOW);
  }

  @Test
  void aSubscriptionStartsAtItsTenantsFeedEndAndBelongsToItsTenant() {
    addChanges(tenant, 3);
    Subscription s = create(tenant);
    assertThat(s.position()).isEqualTo(3);
    assertThat(create(other).position()).isZero();
    assertThat(s.events()).containsExactly("customer.changed", "customer.created");
    assertThat(s.active()).isTrue();
    assertThat(subscriptions.find(other, s.id())).isEmpty();
    assertThat(subscriptions.list(tenant)).extracting(Subscription::id).containsExactly(s.id());
    assertThat(subscriptions.delete(other, s.id())).isFalse();
    assertThat(subscriptions.delete(tenant, s.id())).isTrue();
    assertThat(subscriptions.delete(tenant, s.id())).isFalse();
    assertThat(subscriptions.list(tenant)).isEmpty();
  }

  @Test
  void aLeasedSubscriptionIsNotClaimedAgainUntilReleasedOrExpired() {
    Subscription s = create(tenant);
    assertThat(subscriptions.claimDue("relay-a", NOW, NOW.plus(LEASE), 10)).as("nothing new: not claimed").isEmpty();
    addChanges(tenant, 3);
    addChanges(other, 5); // another tenant's changes are not this subscription's
    assertThat(subscriptions.claimDue("relay-a", NOW, NOW.plus(LEASE), 10)).extracting(Subscription::id)
        .containsExactly(s.id());
    assertThat(subscriptions.claimDue("relay-b", NOW, NOW.plus(LEASE), 10)).isEmpty();
    // Only the holder moves the position.
    assertThat(subscriptions.advance(s.id(), "relay-b", 1, 1, NOW)).isFalse();
    assertThat(subscriptions.advance(s.id(), "relay-a", 1, 1, NOW)).isTrue();
    subscriptions.release(s.id(), "relay-a");
    assertThat(subscriptions.claimDue("relay-b", NOW, NOW.plus(LEASE), 10)).hasSize(1);
    // A holder that stopped without releasing: its lease runs out.
    assertThat(subscriptions.claimDue("relay-a", NOW.plus(LEASE), NOW.plus(LEASE.multipliedBy(2)), 10)).isEmpty();
    assertThat(subscriptions.claimDue("relay-a", NOW.plus(LEASE).plusMillis(1), NOW.plus(LEASE.multipliedBy(2)), 10))
        .hasSize(1);
    assertThat(subscriptions.advance(s.id(), "relay-b", 2, 1, NOW)).as("b lost it").isFalse();
    assertThat(subscriptions.find(tenant, s.id()).orElseThrow().position()).isEqualTo(1);
    subscriptions.release(s.id(), "relay-a");
    assertThat(subscriptions.advance(s.id(), "relay-a", 3, 1, NOW)).as("released: no longer a's").isFalse();
    subscriptions.claimDue("relay-a", NOW.plus(LEASE.multipliedBy(3)), NOW.plus(LEASE.multipliedBy(4)), 10);
    assertThat(subscriptions.advance(s.id(), "relay-a", 3, 1, NOW)).isTrue();
    subscriptions.release(s.id(), "relay-a");
    assertThat(subscriptions.claimDue("relay-a", NOW.plus(LEASE.multipliedBy(5)), NOW.plus(LEASE.multipliedBy(6)), 10))
        .as("caught up: nothing to claim").isEmpty();
  }

  @Test
  void aFailureWaitsForItsRetryAndASuccessClearsItAndDisabledIsNeverClaimed() {
    Subscription s = create(tenant);
    addChanges(tenant, 2);
    subscriptions.claimDue("relay-a", NOW, NOW.plus(LEASE), 10);
    assertThat(subscriptions.failed(s.id(), "relay-a", "HTTP 500", NOW, NOW.plusSeconds(30))).isTrue();
    subscriptions.release(s.id(), "relay-a");
    Subscription failing = subscriptions.find(tenant, s.id()).orElseThrow();
    assertThat(failing.lastError()).isEqualTo("HTTP 500");
    assertThat(failing.failingSince()).isEqualTo(NOW);
    assertThat(failing.attempts()).isEqualTo(1);
    assertThat(subscriptions.claimDue("relay-a", NOW.plusSeconds(29), NOW.plus(LEASE), 10)).isEmpty();
    assertThat(subscriptions.claimDue("relay-a", NOW.plusSeconds(30), NOW.plus(LEASE), 10)).hasSize(1);
    subscriptions.failed(s.id(), "relay-a", "HTTP 502", NOW.plusSeconds(30), NOW.plusSeconds(90));
    assertThat(subscriptions.find(tenant, s.id()).orElseThrow().failingSince()).as("since the first").isEqualTo(NOW);
    assertThat(subscriptions.advance(s.id(), "relay-a", 1, 1, NOW.plusSeconds(31))).isTrue();
    Subscription healed = subscriptions.find(tenant, s.id()).orElseThrow();
    assertThat(healed.lastError()).isNull();
    assertThat(healed.failingSince()).isNull();
    assertThat(healed.attempts()).isZero();
    assertThat(healed.failedAttempts()).isEqualTo(2);
    assertThat(healed.delivered()).isEqualTo(1);
    assertThat(healed.lastDeliveredAt()).isEqualTo(NOW.plusSeconds(31));

    subscriptions.disable(s.id(), "its URL failed for 24 h", NOW);
    assertThat(subscriptions.find(tenant, s.id()).orElseThrow().status()).isEqualTo(Subscription.DISABLED);
    assertThat(subscriptions.claimDue("relay-a", NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(2)), 10))
        .isEmpty();
  }
}
