package io.ferry.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.relay.store.AccessStore.AgentRecord;
import io.ferry.relay.store.AccessStore.AgentSeen;
import io.ferry.relay.store.AccessStore.EnrollmentTokenRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store's part of single-use agent tokens and of agents that say they stop, on SQLite and PostgreSQL:
 * one statement each, the same for both.
 */
@ParameterizedClass
@EnumSource(StoreSettings.Kind.class)
class AgentTokenUsesAndStopsTest {

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
  void aTokenNonceIsUsedOncePerAgentUntilItExpires() {
    assertThat(store.access().firstTokenUse("agent-a", "nonce-1", NOW.plusSeconds(360))).isTrue();
    assertThat(store.access().firstTokenUse("agent-a", "nonce-1", NOW.plusSeconds(360))).isFalse();
    assertThat(store.access().firstTokenUse("agent-b", "nonce-1", NOW.plusSeconds(360))).isTrue();
    assertThat(store.access().firstTokenUse("agent-a", "nonce-2", NOW.plusSeconds(10))).isTrue();

    assertThat(store.access().purgeTokenUses(NOW.plusSeconds(10))).isEqualTo(1);
    assertThat(store.access().firstTokenUse("agent-a", "nonce-1", NOW.plusSeconds(360))).as("not expired: kept")
        .isFalse();
    assertThat(store.access().purgeTokenUses(NOW.plusSeconds(360))).isEqualTo(2);
  }

  @Test
  void anAgentThatSaidItStopsIsOfflineUntilItPollsAgain() {
    String agent = enroll();
    store.access().recordAgentsSeen(List.of(new AgentSeen(agent, NOW, "1.0", "bapi", 0, true)));
    assertThat(store.access().lastAgentSeen(tenant, null)).contains(NOW);

    store.access().recordAgentLeft(tenant, agent, NOW.plusSeconds(1));
    assertThat(store.access().lastAgentSeen(tenant, null)).isEmpty();
    assertThat(store.probe().agentsSeenSince(NOW.minusSeconds(60))).isZero();

    // Finishing its jobs (renewals, results) does not bring it back; nor does a poll from before the goodbye
    // that is written late.
    store.access().recordAgentsSeen(List.of(new AgentSeen(agent, NOW.plusSeconds(2), null, null, 1, false),
        new AgentSeen(agent, NOW.plusMillis(500), null, null, null, true)));
    assertThat(store.access().lastAgentSeen(tenant, null)).isEmpty();

    store.access().recordAgentsSeen(List.of(new AgentSeen(agent, NOW.plusSeconds(3), null, null, 0, true)));
    assertThat(store.access().lastAgentSeen(tenant, "default")).contains(NOW.plusSeconds(3));
  }

  private String enroll() {
    String tokenId = Ulid.next();
    store.access().insertEnrollmentToken(new EnrollmentTokenRecord(tokenId, tenant, "default", "h".repeat(64), NOW,
        NOW.plusSeconds(600), null));
    String agent = Ulid.next();
    assertThat(store.access().enrollAgent(tokenId, new AgentRecord(agent, tenant, "default", "-", "a", "host", "1.0",
        "bapi", NOW, null, 0, null, null, null, null), NOW)).isTrue();
    return agent;
  }
}
