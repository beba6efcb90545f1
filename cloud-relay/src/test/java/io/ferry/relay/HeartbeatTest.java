package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.JobEnvelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent's calls are its heartbeats: a poll and a lease renewal both carry its in-flight count. */
class HeartbeatTest {

  @TempDir java.nio.file.Path dir;
  private TestRelay relay;

  @BeforeEach
  void start() {
    relay = TestRelay.start(dir, c -> c);
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  @Test
  void aLeaseRenewalReportsTheAgentsInFlightCountAndWhenItWasLastSeen() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    tenant.engine().getAsync("/v1/customers/100001");
    JobEnvelope job = agent.takeOne();
    var presence = relay.relay.presence();
    var afterPoll = presence.sighting(tenant.id(), agent.identity.agentId()).orElseThrow();
    assertThat(afterPoll.inFlight()).isZero(); // the fake agent's poll says 0
    assertThat(afterPoll.online()).isTrue();

    assertThat(agent.renew(job.jobId(), job.attempt(), 3).status()).isEqualTo(200);

    var afterRenewal = presence.sighting(tenant.id(), agent.identity.agentId()).orElseThrow();
    assertThat(afterRenewal.inFlight()).isEqualTo(3);
    assertThat(afterRenewal.lastSeen()).isAfterOrEqualTo(afterPoll.lastSeen());
  }
}
