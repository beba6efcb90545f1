package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerETag;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** If-Match and expectedVersion on PATCH travel to the agent; its PRECONDITION_FAILED is a 412. */
class PreconditionTest {

  @TempDir
  static Path dataDir;
  static TestRelay relay;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c);
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void ifMatchTravelsWithTheJobAndTheAgentsRefusalIs412() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    String stale = CustomerETag.of(Fixtures.sample("0000100001"));

    CompletableFuture<Reply> patch = tenant.engine().patchAsync("/v1/customers/100001", "{\"city\":\"Berlin\"}",
        "If-Match", stale);
    JobEnvelope job = agent.takeOne();
    assertThat(job.ifMatch()).isEqualTo(stale);
    agent.fail(job, new JobError(JobError.Kind.PRECONDITION_FAILED, "FERRY-AGENT-0120",
        "customer 0000100001 changed since it was read", null));

    Reply reply = patch.get(15, TimeUnit.SECONDS);
    assertThat(reply.status()).isEqualTo(412);
    assertThat(reply.problem().type()).isEqualTo("https://ferry.dev/problems/precondition-failed");
    assertThat(reply.problem().code()).isEqualTo("FERRY-AGENT-0120");
    assertThat(reply.problem().retryable()).isFalse();
  }

  @Test
  void expectedVersionInTheBodyIsTheSameAsIfMatchAndIsNotACustomerField() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Customer current = Fixtures.sample("0000100001");
    String tag = CustomerETag.of(current);
    String bare = tag.substring(1, tag.length() - 1);

    CompletableFuture<Reply> patch = tenant.engine().patchAsync("/v1/customers/100001",
        "{\"city\":\"Berlin\",\"expectedVersion\":\"" + bare + "\"}");
    JobEnvelope job = agent.takeOne();
    assertThat(job.ifMatch()).isEqualTo(tag);
    assertThat(job.changes().has("expectedVersion")).isFalse();
    agent.succeed(job, current.toBuilder().city("Berlin").build());

    Reply reply = patch.get(15, TimeUnit.SECONDS);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("ETag")).isEqualTo(CustomerETag.of(current.toBuilder().city("Berlin").build()));
  }

  @Test
  void ifMatchAndADifferentExpectedVersionIs400NamingBoth() {
    TestRelay.Tenant tenant = relay.tenant();
    tenant.enrollAgent();
    Reply reply = tenant.engine().patch("/v1/customers/100001", "{\"city\":\"Berlin\",\"expectedVersion\":\"a\"}",
        "application/merge-patch+json", "If-Match", "\"b\"");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.problem().code()).isEqualTo("FERRY-RELAY-0113");
    assertThat(reply.problem().errors()).extracting(e -> e.field()).containsExactly("If-Match", "expectedVersion");
  }

  @Test
  void aMalformedIfMatchIs400AndAWrongExpectedVersionIs422() {
    TestRelay.Tenant tenant = relay.tenant();
    tenant.enrollAgent();
    Reply header = tenant.engine().patch("/v1/customers/100001", "{\"city\":\"Berlin\"}",
        "application/merge-patch+json", "If-Match", "not quoted");
    Reply body = tenant.engine().patch("/v1/customers/100001", "{\"city\":\"Berlin\",\"expectedVersion\":42}",
        "application/merge-patch+json");
    assertThat(header.status()).isEqualTo(400);
    assertThat(header.problem().errors()).extracting(e -> e.field()).isEqualTo(List.of("If-Match"));
    assertThat(body.status()).isEqualTo(422);
    assertThat(body.problem().errors()).extracting(e -> e.field()).isEqualTo(List.of("expectedVersion"));
  }
}
