package io.ferry.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Action;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guards of cancel and retry, in the store where they are one guarded statement each. */
class JobAdminStoreTest {

  static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  @TempDir Path dir;
  SqlStore store;
  String tenant;

  @BeforeEach
  void open() {
    store = SqlStore.open(StoreSettings.SQLITE, dir);
    tenant = store.access().ensureTenant("acme", Ulid.next(), NOW);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Job queue() {
    Job job = Job.queued(Ulid.next(), tenant, null, Action.CUSTOMER_CREATE, "{}", null, NOW, NOW.plus(Duration.ofMinutes(10)));
    store.jobs().insert(job);
    return job;
  }

  @Test
  void aJobAnAgentTookOnceIsNotCancelledEvenWhenItIsQueuedAgain() {
    Job job = queue();
    assertThat(store.jobs().claim(tenant, "default", "agent-1", 1, NOW, NOW.plusSeconds(60))).hasSize(1);
    assertThat(store.jobs().requeueLapsedLeases(NOW.plusSeconds(61), 3)).hasSize(1);
    assertThat(store.jobAdmin().jobEntry(tenant, job.id()).orElseThrow().job().state()).isEqualTo(JobState.QUEUED);

    JobAdminStore.Change change = store.jobAdmin().cancel(tenant, job.id(), "admin-key", NOW.plusSeconds(62));
    assertThat(change.done()).isFalse();
    assertThat(change.job().attempt()).isEqualTo(1);
    // The first agent's late result is still taken: nothing was lost by refusing the cancel.
    assertThat(store.jobs().complete(tenant, job.id(), "agent-1", 1, JobState.SUCCEEDED, "{}", null,
        NOW.plusSeconds(63))).isEqualTo(JobStore.Completion.ACCEPTED);
  }

  @Test
  void aCancelledJobIsNeverClaimedAndAnotherTenantCannotCancel() {
    Job job = queue();
    assertThat(store.jobAdmin().cancel("another-tenant", job.id(), "k", NOW).job()).isNull();
    JobAdminStore.Change change = store.jobAdmin().cancel(tenant, job.id(), "admin-key", NOW.plusSeconds(1));
    assertThat(change.done()).isTrue();
    assertThat(change.job().state()).isEqualTo(JobState.CANCELLED);
    assertThat(change.job().finishedAt()).isEqualTo(NOW.plusSeconds(1));
    assertThat(store.jobs().claim(tenant, "default", "agent-1", 10, NOW.plusSeconds(2), NOW.plusSeconds(62))).isEmpty();
    assertThat(store.jobs().expireOverdue(NOW.plus(Duration.ofHours(1)))).as("an end never changes").isEmpty();
    assertThat(store.jobAdmin().jobEntry(tenant, job.id()).orElseThrow().updatedAt()).isEqualTo(NOW.plusSeconds(1));
  }

  @Test
  void onlyAFailedDeadOrExpiredJobIsRetriedAndTheRetryNamesIt() {
    Job queued = queue();
    Job retryOfQueued = Job.queued(Ulid.next(), tenant, null, Action.CUSTOMER_CREATE, "{}", null, NOW, NOW.plusSeconds(600));
    assertThat(store.jobAdmin().retry(tenant, queued.id(), retryOfQueued).done()).isFalse();
    assertThat(store.jobAdmin().jobEntry(tenant, retryOfQueued.id())).isEmpty();

    assertThat(store.jobs().expireOverdue(NOW.plus(Duration.ofMinutes(11)))).hasSize(1);
    Job retry = Job.queued(Ulid.next(), tenant, null, Action.CUSTOMER_CREATE, "{}", null, NOW.plus(Duration.ofMinutes(12)),
        NOW.plus(Duration.ofMinutes(22)));
    assertThat(store.jobAdmin().retry(tenant, queued.id(), retry).done()).isTrue();
    assertThat(store.jobAdmin().jobEntry(tenant, retry.id()).orElseThrow().retryOf()).isEqualTo(queued.id());
    assertThat(store.jobAdmin().jobEntry(tenant, queued.id()).orElseThrow().job().state()).isEqualTo(JobState.EXPIRED);
    assertThat(store.jobAdmin().jobs(tenant, null, null, null, 10)).extracting(e -> e.job().id())
        .containsExactly(retry.id(), queued.id());
    assertThat(store.jobAdmin().jobs(tenant, JobState.EXPIRED, null, null, 10)).hasSize(1);
    assertThat(store.jobAdmin().jobs(tenant, null, null, retry.id(), 10)).extracting(e -> e.job().id())
        .containsExactly(queued.id());

    Job again = Job.queued(Ulid.next(), tenant, null, Action.CUSTOMER_CREATE, "{}", null, NOW.plus(Duration.ofMinutes(13)),
        NOW.plus(Duration.ofMinutes(23)));
    assertThat(store.jobAdmin().retry(tenant, queued.id(), again).done()).as("a job is retried once").isFalse();
    assertThat(store.jobAdmin().jobEntry(tenant, again.id())).isEmpty();
  }

  /** What the relay's metrics hear: a cancel is an end, a retry a new queued job, like any other. */
  @Test
  void aCancelAndARetryReachTheMetricsAsAnEndAndAQueuedJob() {
    java.util.List<String> told = new java.util.ArrayList<>();
    store.observeTransitions(new JobTransitions() {
      @Override
      public void queued(Job job) {
        told.add("queued " + job.id());
      }

      @Override
      public void ended(Action action, JobState state, Instant createdAt, Instant now) {
        told.add("ended " + state + " after " + Duration.between(createdAt, now).toSeconds() + " s");
      }
    });
    Job cancelled = queue();
    assertThat(store.jobAdmin().cancel(tenant, cancelled.id(), "admin-key", NOW.plusSeconds(5)).done()).isTrue();
    assertThat(store.jobAdmin().cancel(tenant, cancelled.id(), "admin-key", NOW.plusSeconds(6)).done())
        .as("already ended: nothing more to tell").isFalse();
    Job expired = queue();
    assertThat(store.jobs().expireOverdue(NOW.plus(Duration.ofMinutes(11)))).hasSize(1);
    Job retry = Job.queued(Ulid.next(), tenant, null, Action.CUSTOMER_CREATE, "{}", null, NOW.plus(Duration.ofMinutes(12)),
        NOW.plus(Duration.ofMinutes(22)));
    assertThat(store.jobAdmin().retry(tenant, expired.id(), retry).done()).isTrue();

    assertThat(told).containsExactly("queued " + cancelled.id(), "ended CANCELLED after 5 s", "queued " + expired.id(),
        "ended EXPIRED after 660 s", "queued " + retry.id());
  }
}
