package io.ferry.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.relay.store.AccessStore.AgentRecord;
import io.ferry.relay.store.AccessStore.ApiKeyRecord;
import io.ferry.relay.store.AccessStore.EnrollmentTokenRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Keys and agents are read through a short-lived cache; a change made through the store counts at once,
 * one made through another store on the same database (another relay) within {@link AccessCache#FOR}.
 */
@ParameterizedClass
@EnumSource(StoreSettings.Kind.class)
class AccessCacheTest {

  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

  @Parameter
  StoreSettings.Kind kind;
  @TempDir
  Path dir;
  private TestStore opened;
  private SqlStore store;
  private String tenant;

  @BeforeEach
  void open() {
    opened = TestStore.open(kind, dir);
    store = opened.store();
    tenant = store.access().ensureTenant("acme", Ulid.next(), NOW);
  }

  @AfterEach
  void close() {
    opened.close();
  }

  @Test
  void aKeyRevokedThroughTheStoreIsReadRevokedAtOnce() {
    String key = apiKey();
    assertThat(store.access().findApiKey(key).orElseThrow().revokedAt()).as("read, and so cached").isNull();

    store.access().revokeApiKey(key, NOW.plusSeconds(1));

    assertThat(store.access().findApiKey(key).orElseThrow().revokedAt()).isEqualTo(NOW.plusSeconds(1));
  }

  @Test
  void anAgentDisabledOrGivenANewKeyThroughTheStoreIsReadSoAtOnce() {
    String agent = enroll();
    assertThat(store.access().findAgent(agent).orElseThrow().disabledAt()).as("read, and so cached").isNull();

    store.access().changeAgentKey(agent, "new-public-key", NOW.plusSeconds(60));
    assertThat(store.access().findAgent(agent).orElseThrow().publicKey()).isEqualTo("new-public-key");

    store.access().disableAgent(tenant, agent, NOW.plusSeconds(2));
    assertThat(store.access().findAgent(agent).orElseThrow().disabledAt()).isEqualTo(NOW.plusSeconds(2));
  }

  @Test
  void aKeyMadeElsewhereIsFoundAtOnceEvenIfItWasLookedForBefore() {
    String id = Ulid.next();
    assertThat(store.access().findApiKey(id)).as("absence is not remembered").isEmpty();
    store.access().insertApiKey(new ApiKeyRecord(id, tenant, "h".repeat(64), NOW, null, null, "customers:write", null));
    assertThat(store.access().findApiKey(id)).isPresent();
  }

  @Test
  void aKeyRevokedThroughAnotherStoreOnTheSameDatabaseIsReadRevokedWithinTheBound() {
    String key = apiKey();
    try (SqlStore other = kind == StoreSettings.Kind.SQLITE ? SqlStore.open(dir)
        : SqlStore.openPostgres(TestStore.settings(opened.database()))) {
      assertThat(store.access().findApiKey(key).orElseThrow().revokedAt()).as("read, and so cached").isNull();

      other.access().revokeApiKey(key, NOW.plusSeconds(1));

      // Not a timing assertion: the bound plus ample slack for a busy machine.
      long deadline = System.nanoTime() + AccessCache.FOR.plusSeconds(10).toNanos();
      while (store.access().findApiKey(key).orElseThrow().revokedAt() == null && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
      assertThat(store.access().findApiKey(key).orElseThrow().revokedAt()).isEqualTo(NOW.plusSeconds(1));
    }
  }

  private String apiKey() {
    String id = Ulid.next();
    store.access().insertApiKey(new ApiKeyRecord(id, tenant, "h".repeat(64), NOW, null, null, "customers:write", null));
    return id;
  }

  private String enroll() {
    String tokenId = Ulid.next();
    store.access().insertEnrollmentToken(new EnrollmentTokenRecord(tokenId, tenant, "default", "h".repeat(64), NOW,
        NOW.plusSeconds(600), null));
    String agent = Ulid.next();
    assertThat(store.access().enrollAgent(tokenId, new AgentRecord(agent, tenant, "default", "-", "a", "host", "1.0",
        "bapi", NOW, null, 0, null, "old-public-key", null, null), NOW)).isTrue();
    return agent;
  }
}
