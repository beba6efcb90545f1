package io.ferry.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Action;
import io.ferry.relay.store.JobStore.IdempotencyEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The job store's contract, on a real SQLite file and a real PostgreSQL database: claims, guarded
 * state changes, idempotency keys, and claims racing each other on several connections.
 */
@ParameterizedClass
@EnumSource(StoreSettings.Kind.class)
class SqlStoreTest {

  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
  private static final Instant LEASE_END = NOW.plusSeconds(60);

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

  private Job queue(String group) {
    Job job = Job.queued(Ulid.next(), tenant, group, Action.CUSTOMER_CREATE, "{\"customer\":{}}", null, NOW,
        NOW.plus(Duration.ofMinutes(10)));
    store.jobs().insert(job);
    return job;
  }

  /**
   * A job with a callback URL that ends schedules its delivery and tells the sender after the commit; one
   * without schedules nothing and wakes nobody.
   */
  @Test
  void onlyAJobWithACallbackUrlSchedulesADeliveryAndTellsTheSender() {
    java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
    store.callbacks().onDeliveryScheduled(told::incrementAndGet);
    Job plain = queue("default");
    Job withCallback = Job.queued(Ulid.next(), tenant, "default", Action.CUSTOMER_CREATE, "{\"customer\":{}}", null,
        NOW, NOW.plus(Duration.ofMinutes(10))).withOrigin(null, "https://engine.example/hook");
    store.jobs().insert(withCallback);
    assertThat(store.jobs().claim(tenant, "default", "agent-1", 5, NOW, LEASE_END)).hasSize(2);

    store.jobs().complete(tenant, plain.id(), "agent-1", 1, JobState.SUCCEEDED, "{}", null, NOW);
    assertThat(told).hasValue(0);
    assertThat(store.callbacks().deliveryState(plain.id())).isEmpty();

    store.jobs().complete(tenant, withCallback.id(), "agent-1", 1, JobState.SUCCEEDED, "{}", null, NOW);
    assertThat(told).hasValue(1);
    assertThat(store.callbacks().deliveryState(withCallback.id())).isPresent();
    assertThat(store.callbacks().dueDeliveries(NOW, 10)).extracting(CallbackStore.Delivery::jobId)
        .containsExactly(withCallback.id());
  }

  @Test
  void aTenantIsMadeOnceAndFoundByName() {
    assertThat(store.access().ensureTenant("acme", Ulid.next(), NOW)).isEqualTo(tenant);
    assertThat(store.access().tenantExists(tenant)).isTrue();
  }

  @Test
  void aClaimTakesTheOldestJobsOfTheGroupOrOfNoGroupOnce() {
    Job first = queue(null);
    Job second = queue("default");
    queue("other");

    List<Job> claimed = store.jobs().claim(tenant, "default", "agent-1", 5, NOW, LEASE_END);

    assertThat(claimed).extracting(Job::id).containsExactly(first.id(), second.id());
    assertThat(claimed).allSatisfy(j -> {
      assertThat(j.state()).isEqualTo(JobState.LEASED);
      assertThat(j.attempt()).isEqualTo(1);
    });
    assertThat(store.jobs().claim(tenant, "default", "agent-2", 5, NOW, LEASE_END)).isEmpty();
    assertThat(store.jobs().find(tenant, first.id()).orElseThrow().leasedBy()).isEqualTo("agent-1");
  }

  /**
   * On PostgreSQL the claim is one UPDATE … RETURNING: what it answers must be the jobs as stored, the
   * oldest first and no more than asked for, the rest left queued for the next claim.
   */
  @Test
  void aClaimAnswersWithTheOldestJobsAsStoredAndLeavesTheRestQueued() {
    List<Job> queued = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      queued.add(queue(null));
    }

    List<Job> claimed = store.jobs().claim(tenant, "default", "agent-1", 3, NOW, LEASE_END);

    assertThat(claimed).extracting(Job::id)
        .containsExactly(queued.get(0).id(), queued.get(1).id(), queued.get(2).id());
    for (Job j : claimed) {
      assertThat(j).isEqualTo(store.jobs().find(tenant, j.id()).orElseThrow());
      assertThat(j.leasedBy()).isEqualTo("agent-1");
      assertThat(j.leaseExpiresAt()).isEqualTo(LEASE_END);
    }
    assertThat(store.jobs().claim(tenant, "default", "agent-2", 5, NOW, LEASE_END)).extracting(Job::id)
        .containsExactly(queued.get(3).id(), queued.get(4).id());
  }

  @Test
  void aResultIsRecordedOnceAndTheSameResultAgainIsADuplicate() {
    Job job = queue(null);
    Job leased = store.jobs().claim(tenant, "default", "agent-1", 1, NOW, LEASE_END).get(0);

    assertThat(store.jobs().renewLease(tenant, job.id(), "agent-1", leased.attempt(), NOW, LEASE_END.plusSeconds(60)))
        .isEqualTo(JobStore.LeaseRenewal.RENEWED);
    assertThat(store.jobs().renewLease(tenant, job.id(), "agent-2", leased.attempt(), NOW, LEASE_END))
        .isEqualTo(JobStore.LeaseRenewal.NOT_HELD);
    assertThat(store.jobs().complete(tenant, job.id(), "agent-1", 1, JobState.SUCCEEDED, "{\"ok\":1}", null, NOW))
        .isEqualTo(JobStore.Completion.ACCEPTED);
    assertThat(store.jobs().complete(tenant, job.id(), "agent-1", 1, JobState.SUCCEEDED, "{\"ok\":1}", null, NOW))
        .isEqualTo(JobStore.Completion.DUPLICATE);
    assertThat(store.jobs().complete(tenant, job.id(), "agent-1", 1, JobState.FAILED, null, "{}", NOW))
        .isEqualTo(JobStore.Completion.CONFLICT);
    assertThat(store.jobs().complete("other-tenant", job.id(), "agent-1", 1, JobState.SUCCEEDED, "{}", null, NOW))
        .isEqualTo(JobStore.Completion.NOT_FOUND);
    assertThat(store.jobs().endedAmong(List.of(job.id(), "01JD4Y6Q8V3T6R2M7K9X0B1C2D"))).containsExactly(job.id());
  }

  /**
   * SQS dispatch: a job whose message reached the dead-letter queue ends DEAD under the same guards as a result
   * (the holder and its attempt), once, counted by the metrics like the reaper's DEAD.
   */
  @Test
  void aJobWhoseDeliveryGaveUpEndsDeadOnceUnderTheResultsGuards() {
    List<String> ended = new ArrayList<>();
    store.observeTransitions(new JobTransitions() {
      @Override
      public void ended(Action action, JobState state, Instant createdAt, Instant now) {
        ended.add(action.wireName() + " " + state);
      }
    });
    Job job = queue(null);
    store.jobs().claim(tenant, "default", "sqs", 1, NOW, LEASE_END);

    assertThat(store.jobs().complete(tenant, job.id(), "sqs", 2, JobState.DEAD, null, "{\"code\":\"x\"}", NOW))
        .as("an older or newer attempt's dead letter").isEqualTo(JobStore.Completion.CONFLICT);
    assertThat(store.jobs().complete(tenant, job.id(), "sqs", 1, JobState.DEAD, null, "{\"code\":\"x\"}", NOW))
        .isEqualTo(JobStore.Completion.ACCEPTED);
    assertThat(store.jobs().complete(tenant, job.id(), "sqs", 1, JobState.DEAD, null, "{\"code\":\"x\"}", NOW))
        .isEqualTo(JobStore.Completion.DUPLICATE);
    Job dead = store.jobs().find(tenant, job.id()).orElseThrow();
    assertThat(dead.state()).isEqualTo(JobState.DEAD);
    assertThat(dead.errorJson()).contains("\"x\"");
    assertThat(ended).containsExactly(Action.CUSTOMER_CREATE.wireName() + " DEAD");
    assertThat(store.jobs().endedAmong(List.of(job.id()))).containsExactly(job.id());
  }

  @Test
  void anIdempotencyKeyQueuesOneJobAndAnswersWithItAfterwards() {
    IdempotencyEntry key = new IdempotencyEntry(tenant, "k-1", "f".repeat(64), "", NOW, NOW.plusSeconds(3600));
    Job first = Job.queued(Ulid.next(), tenant, null, Action.CUSTOMER_CREATE, "{}", null, NOW, NOW.plusSeconds(600));
    Job again = Job.queued(Ulid.next(), tenant, null, Action.CUSTOMER_CREATE, "{}", null, NOW, NOW.plusSeconds(600));

    assertThat(store.jobs().insert(first, key)).isEmpty();
    assertThat(store.jobs().insert(again, key)).hasValueSatisfying(e -> assertThat(e.jobId()).isEqualTo(first.id()));
    assertThat(store.jobs().find(tenant, again.id())).isEmpty();
    assertThat(store.jobs().purgeIdempotencyKeys(NOW.plusSeconds(3601))).isEqualTo(1);
    assertThat(store.jobs().findIdempotencyKey(tenant, "k-1", NOW)).isEmpty();
  }

  @Test
  void queuedGroupsNameWhereJobsWait() {
    queue("default");
    queue(null);

    assertThat(store.jobs().queuedGroups(NOW)).containsExactlyInAnyOrder(new JobStore.QueuedGroup(tenant, "default"),
        new JobStore.QueuedGroup(tenant, null));
    assertThat(store.jobs().queuedGroups(NOW.plus(Duration.ofHours(1)))).isEmpty();
  }

  /** Eight agents claim at once, each on its own connection: every job goes to exactly one of them. */
  @Test
  void claimsRacingEachOtherNeverShareAJob() throws Exception {
    int jobs = 60;
    for (int i = 0; i < jobs; i++) {
      queue(null);
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<List<String>>> agents = new ArrayList<>();
      for (int a = 0; a < 8; a++) {
        String agent = "agent-" + a;
        agents.add(() -> {
          List<String> mine = new ArrayList<>();
          List<Job> got;
          while (!(got = store.jobs().claim(tenant, "default", agent, 3, NOW, LEASE_END)).isEmpty()) {
            got.forEach(j -> mine.add(j.id()));
          }
          return mine;
        });
      }
      List<String> all = new ArrayList<>();
      for (Future<List<String>> f : pool.invokeAll(agents)) {
        all.addAll(f.get());
      }
      Set<String> distinct = new HashSet<>(all);
      assertThat(all).hasSize(jobs);
      assertThat(distinct).hasSize(jobs);
    } finally {
      pool.shutdownNow();
    }
  }
}
