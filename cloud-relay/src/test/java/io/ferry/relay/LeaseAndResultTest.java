package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Customer;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.LeaseRenewal;
import io.ferry.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases, lapses, results and tenant isolation, with a 1 s lease so lapses happen quickly. */
class LeaseAndResultTest {

  @TempDir
  static Path dataDir;
  static TestRelay relay;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c.withLeaseDuration(Duration.ofSeconds(1)).withPollHold(Duration.ofSeconds(2)));
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void aLapsedLeaseRequeuesTheJobWithTheNextAttempt() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");

    JobEnvelope first = agent.takeOne();
    assertThat(first.attempt()).isEqualTo(1);
    // No renewal: the reaper puts the job back and wakes this held poll.
    JobEnvelope second = agent.takeOne();

    assertThat(second.jobId()).isEqualTo(first.jobId()).isEqualTo(accepted.json().get("id").asText());
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(agent.renew(first.jobId(), 1).status()).isEqualTo(409);
    Reply stale = agent.succeed(first, Fixtures.created(first.customer(), "0000100009"));
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.problem().code()).isEqualTo("FERRY-RELAY-0306");
    assertThat(agent.succeed(second, Fixtures.created(second.customer(), "0000100010")).status()).isEqualTo(204);
    assertThat(tenant.engine().get(accepted.header("Location")).status()).isEqualTo(201);
  }

  @Test
  void theHolderRenewsItsLeaseAndOthersCannot() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    FakeAgent other = tenant.enrollAgent();
    tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
    JobEnvelope job = agent.takeOne();

    Reply renewed = agent.renew(job.jobId(), job.attempt());
    Reply wrongAttempt = agent.renew(job.jobId(), job.attempt() + 1);
    Reply notHolder = other.renew(job.jobId(), job.attempt());
    Reply unknown = agent.renew("01JD4Y6Q8V3T6R2M7K9X0B1C2D", 1);

    assertThat(renewed.status()).isEqualTo(200);
    LeaseRenewal lease = renewed.as(LeaseRenewal.class);
    assertThat(lease.jobId()).isEqualTo(job.jobId());
    assertThat(lease.attempt()).isEqualTo(job.attempt());
    assertThat(lease.leaseExpiresAt()).isAfterOrEqualTo(job.leaseExpiresAt());
    assertThat(wrongAttempt.status()).isEqualTo(409);
    assertThat(wrongAttempt.problem().code()).isEqualTo("FERRY-RELAY-0305");
    assertThat(notHolder.status()).isEqualTo(409);
    assertThat(unknown.status()).isEqualTo(404);
    agent.succeed(job, Fixtures.created(job.customer(), "0000100011"));
  }

  @Test
  void theSameResultTwiceIs204AndIdempotentAnotherResultIs409() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
    JobEnvelope job = agent.takeOne();
    Customer created = Fixtures.created(job.customer(), "0000100003");

    assertThat(agent.succeed(job, created).status()).isEqualTo(204);
    assertThat(agent.succeed(job, created).status()).isEqualTo(204);
    Reply different = agent.fail(job, new JobError(JobError.Kind.INTERNAL, null, "changed my mind", null));

    assertThat(different.status()).isEqualTo(409);
    Reply operation = tenant.engine().get(accepted.header("Location"));
    assertThat(operation.status()).isEqualTo(201);
    assertThat(operation.as(Customer.class).customerNumber()).isEqualTo("0000100003");
  }

  @Test
  void anAgentOfAnotherTenantCannotTakeRenewOrFinishTheJob() {
    TestRelay.Tenant a = relay.tenant();
    TestRelay.Tenant b = relay.tenant();
    FakeAgent agentA = a.enrollAgent();
    FakeAgent agentB = b.enrollAgent();
    a.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");

    assertThat(agentB.poll(5).jobs()).isEmpty(); // held for the whole hold, never handed A's job
    JobEnvelope job = agentA.takeOne();
    Reply renew = agentB.renew(job.jobId(), job.attempt());
    Reply result = agentB.succeed(job, Fixtures.created(job.customer(), "0000100004"));

    assertThat(renew.status()).isEqualTo(404);
    assertThat(result.status()).isEqualTo(404);
    assertThat(result.problem().code()).isEqualTo("FERRY-RELAY-0302");
    assertThat(agentA.succeed(job, Fixtures.created(job.customer(), "0000100005")).status()).isEqualTo(204);
  }

  @Test
  void agentCallsWithoutAValidKeyAre401AndTokensWorkOnce() {
    // A clock the test moves: a token valid for 1 ms, used within the same millisecond, was still valid (a flaky
    // failure, 200 instead of 401, on a fast machine).
    ManualClock clock = ManualClock.now();
    try (TestRelay moved = TestRelay.start(dataDir.resolve("tokens"), c -> c, clock)) {
      TestRelay.Tenant tenant = moved.tenant();
      String token = tenant.enrollmentToken();

      assertThat(FakeAgent.enrollRaw(moved.base(), token).status()).isEqualTo(200);
      Reply reused = FakeAgent.enrollRaw(moved.base(), token);
      Reply unknown = FakeAgent.enrollRaw(moved.base(), "fe_01JD4Y6Q8V3T6R2M7K9X0B1C2D_nope");
      String shortLived = moved.relay.admin().createEnrollmentToken(tenant.id(), "default", Duration.ofMillis(1));
      clock.advance(Duration.ofMillis(1));
      Reply expired = FakeAgent.enrollRaw(moved.base(), shortLived);

      for (Reply r : new Reply[] {reused, unknown, expired}) {
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.problem().code()).isEqualTo("FERRY-RELAY-0204");
      }
    }
  }

  @Test
  void aJobWhoseLeasesAllLapseIsDeadAndAnswers502() {
    try (TestRelay oneAttempt = TestRelay.start(dataDir.resolve("dead"),
        c -> c.withLeaseDuration(Duration.ofSeconds(1)).withMaxAttempts(1))) {
      TestRelay.Tenant tenant = oneAttempt.tenant();
      FakeAgent agent = tenant.enrollAgent();
      Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      agent.takeOne();

      Fixtures.await("the job to die", Duration.ofSeconds(10),
          () -> tenant.engine().get(accepted.header("Location")).status() != 202);
      Reply dead = tenant.engine().get(accepted.header("Location"));
      assertThat(dead.status()).isEqualTo(502);
      assertThat(dead.problem().code()).isEqualTo("FERRY-RELAY-0304");
      assertThat(dead.problem().detail()).contains("1 attempt");
    }
  }

  @Test
  void aJobNoAgentTakesBeforeItsDeadlineExpiresAndAnswers504() {
    try (TestRelay shortDeadline = TestRelay.start(dataDir.resolve("expired"),
        c -> c.withSyncWindow(Duration.ofMillis(500)).withJobDeadline(Duration.ofSeconds(1)))) {
      TestRelay.Tenant tenant = shortDeadline.tenant();
      tenant.enrollAgent(); // enrolled (so online) but never polls

      Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON);
      assertThat(accepted.status()).isEqualTo(202);

      Fixtures.await("the job to expire", Duration.ofSeconds(10),
          () -> tenant.engine().get(accepted.header("Location")).status() != 202);
      Reply expired = tenant.engine().get(accepted.header("Location"));
      assertThat(expired.status()).isEqualTo(504);
      assertThat(expired.header("Retry-After")).isNotBlank();
      assertThat(expired.problem().code()).isEqualTo("FERRY-RELAY-0303");
    }
  }
}
