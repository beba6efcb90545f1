package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Customer;
import io.ferry.protocol.JobEnvelope;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job that outlasts the 1 s sync window: 202, then the operation URL until the result. */
class AsyncOperationTest {

  @TempDir
  static Path dataDir;
  static TestRelay relay;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c.withSyncWindow(Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void slowAgentGives202ThenTheOperationAnswers202UntilTheResultThen201() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    // Nobody answers within the 1 s window.
    Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON);
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    String location = accepted.header("Location");
    assertThat(URI.create(location).isAbsolute()).isTrue();
    assertThat(location).isEqualTo(relay.base() + "/v1/operations/" + accepted.json().get("id").asText());
    assertThat(Integer.parseInt(accepted.header("Retry-After"))).isBetween(1, 5);
    assertThat(accepted.json().get("status").asText()).isEqualTo("QUEUED");

    assertThat(tenant.engine().get(location).status()).isEqualTo(202);

    JobEnvelope job = agent.takeOne();
    Reply running = tenant.engine().get(location);
    assertThat(running.status()).isEqualTo(202);
    assertThat(running.json().get("status").asText()).isEqualTo("RUNNING");
    assertThat(running.header("Location")).isEqualTo(location);
    assertThat(running.header("Retry-After")).isNotBlank();

    agent.succeed(job, Fixtures.created(job.customer(), "0000100002"));

    Reply done = tenant.engine().get(location);
    assertThat(done.status()).isEqualTo(201);
    assertThat(done.header("Location")).isEqualTo("/v1/customers/0000100002");
    assertThat(done.as(Customer.class).customerNumber()).isEqualTo("0000100002");
    // Final answers do not change when asked again.
    assertThat(tenant.engine().get(location).body()).isEqualTo(done.body());
  }

  @Test
  void theAbsoluteLocationFollowsForwardedProtoAndHost() {
    TestRelay.Tenant tenant = relay.tenant();
    tenant.enrollAgent();

    Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON,
        "Prefer", "respond-async", "X-Forwarded-Proto", "https", "Host", "relay.example.com");

    assertThat(accepted.header("Location")).startsWith("https://relay.example.com/v1/operations/");
  }
}
