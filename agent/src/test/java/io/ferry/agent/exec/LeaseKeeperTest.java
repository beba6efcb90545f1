package io.ferry.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.relay.RelayException;
import io.ferry.protocol.Action;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.Protocol;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lease keeper's sweep: a running job's lease is renewed once an interval has passed since its start or its
 * last renewal (never before), with the agent's in-flight count; a job that ended, or whose lease the relay
 * refused for good, is not renewed again. Time bounds are lower bounds, or generous upper ones.
 */
class LeaseKeeperTest {

  private static final Duration EVERY = Duration.ofMillis(200);

  private record Renewal(String jobId, int inFlight, long atNanos) {}

  private final List<Renewal> renewals = new CopyOnWriteArrayList<>();
  private volatile boolean refuse;
  private final LeaseKeeper leases = new LeaseKeeper((job, inFlight) -> {
    renewals.add(new Renewal(job.jobId(), inFlight, System.nanoTime()));
    if (refuse) {
      throw RelayException.of(RelayException.Kind.REJECTED, "lease lost", null);
    }
  }, EVERY);

  @AfterEach
  void close() {
    leases.close();
  }

  @Test
  void aRunningJobIsRenewedEveryIntervalAndNotBeforeWithTheJobsInFlight() throws Exception {
    long started = System.nanoTime();
    try (AutoCloseable a = leases.keep(job("job-a")); AutoCloseable b = leases.keep(job("job-b"))) {
      waitFor(() -> renewals.stream().filter(r -> r.jobId().equals("job-a")).count() >= 2);
    }

    List<Renewal> a = renewals.stream().filter(r -> r.jobId().equals("job-a")).toList();
    assertThat(a.get(0).atNanos() - started).as("the first renewal, an interval after the start at the earliest")
        .isGreaterThanOrEqualTo(EVERY.toNanos());
    assertThat(a.get(1).atNanos() - a.get(0).atNanos()).as("the next, an interval after the first at the earliest")
        .isGreaterThanOrEqualTo(EVERY.toNanos());
    assertThat(a.get(0).inFlight()).isEqualTo(2);
  }

  @Test
  void aJobThatEndedIsNotRenewed() throws Exception {
    leases.keep(job("job-short")).close();
    try (AutoCloseable longer = leases.keep(job("job-long"))) {
      waitFor(() -> !renewals.isEmpty());
      Thread.sleep(EVERY.toMillis()); // time for another sweep
    }

    assertThat(renewals).extracting(Renewal::jobId).containsOnly("job-long");
    assertThat(renewals.get(0).inFlight()).isEqualTo(1);
  }

  @Test
  void aLeaseTheRelayRefusedForGoodIsNotRenewedAgain() throws Exception {
    refuse = true;
    try (AutoCloseable lost = leases.keep(job("job-lost"))) {
      waitFor(() -> !renewals.isEmpty());
      Thread.sleep(3 * EVERY.toMillis());
    }

    assertThat(renewals).hasSize(1);
  }

  private static JobEnvelope job(String id) {
    return new JobEnvelope(Protocol.VERSION, id, Action.CUSTOMER_CREATE, 1, Instant.now().plusSeconds(60),
        Instant.now().plusSeconds(600), null, null, null, null, null, null);
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 20 s").isLessThan(until);
      Thread.sleep(10);
    }
  }
}
