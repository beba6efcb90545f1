package io.ferry.relay.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Action;
import io.ferry.relay.store.Job;
import io.ferry.relay.store.JobState;
import io.ferry.relay.store.JobStore;
import io.ferry.relay.store.SqlStore;
import io.ferry.relay.store.StoreSettings;
import io.ferry.relay.store.TestStore;
import io.ferry.relay.store.Ulid;
import io.ferry.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The reaper against a real store (SQLite and PostgreSQL), with time moved by hand instead of waited for. */
@ParameterizedClass
@EnumSource(StoreSettings.Kind.class)
class LeaseReaperTest {

  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final Duration DEADLINE = Duration.ofMinutes(10);

  @TempDir
  Path dataDir;
  @Parameter
  StoreSettings.Kind kind;
  private TestStore opened;
  private SqlStore store;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T10:00:00Z"));
  private final PollWaiters polls = new PollWaiters();
  private final ResultWaiters results = new ResultWaiters();
  private String tenant;

  @BeforeEach
  void open() {
    opened = TestStore.open(kind, dataDir);
    store = opened.store();
    tenant = store.access().ensureTenant("acme", Ulid.next(), clock.instant());
  }

  @AfterEach
  void close() {
    opened.close();
  }

  @Test
  void aLapsedLeaseGoesBackToTheQueueAndTheNextClaimIsAttemptTwo() {
    LeaseReaper reaper = new LeaseReaper(store.jobs(), clock, 5, polls, results);
    String id = queue();
    claim();
    PollWaiters.Waiter parked = polls.register("agent-2", tenant, "default");

    clock.advance(LEASE.minusSeconds(1));
    reaper.runOnce();
    assertThat(state(id)).isEqualTo(JobState.LEASED);
    assertThat(parked.signal).isNotDone();

    clock.advance(Duration.ofSeconds(1));
    reaper.runOnce();
    assertThat(state(id)).isEqualTo(JobState.QUEUED);
    assertThat(parked.signal).isCompletedWithValue(Signal.WOKEN);
    assertThat(claim()).extracting(Job::attempt).containsExactly(2);
  }

  @Test
  void theLastAttemptsLapseMakesTheJobDeadAndReleasesItsWaiter() {
    LeaseReaper reaper = new LeaseReaper(store.jobs(), clock, 2, polls, results);
    String id = queue();
    var waiting = results.register(id);
    for (int attempt = 1; attempt <= 2; attempt++) {
      assertThat(claim()).extracting(Job::attempt).containsExactly(attempt);
      clock.advance(LEASE);
      reaper.runOnce();
    }

    Job dead = store.jobs().find(tenant, id).orElseThrow();
    assertThat(dead.state()).isEqualTo(JobState.DEAD);
    assertThat(dead.errorJson()).contains("FERRY-RELAY-0304");
    assertThat(dead.finishedAt()).isEqualTo(clock.instant());
    assertThat(waiting).isDone();
    assertThat(claim()).isEmpty();
  }

  @Test
  void aQueuedJobPastItsDeadlineExpiresAndIsNeverHandedOut() {
    LeaseReaper reaper = new LeaseReaper(store.jobs(), clock, 5, polls, results);
    String id = queue();
    var waiting = results.register(id);

    clock.advance(DEADLINE);
    assertThat(claim()).isEmpty(); // past its deadline, even before the reaper ran
    reaper.runOnce();

    assertThat(state(id)).isEqualTo(JobState.EXPIRED);
    assertThat(waiting).isDone();
  }

  @Test
  void aFinishedJobIsNotTouched() {
    LeaseReaper reaper = new LeaseReaper(store.jobs(), clock, 5, polls, results);
    String id = queue();
    Job job = claim().get(0);
    store.jobs().complete(tenant, id, "agent-1", job.attempt(), JobState.SUCCEEDED, "{}", null, clock.instant());

    clock.advance(DEADLINE.plus(LEASE));
    reaper.runOnce();

    assertThat(state(id)).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void aLateResultIsTakenWhileTheRequeuedJobWaitsButNotOnceANewAttemptHoldsIt() {
    LeaseReaper reaper = new LeaseReaper(store.jobs(), clock, 5, polls, results);
    String first = queue();
    claim();
    clock.advance(LEASE);
    reaper.runOnce();
    assertThat(store.jobs().complete(tenant, first, "agent-1", 1, JobState.SUCCEEDED, "{}", null, clock.instant()))
        .isEqualTo(JobStore.Completion.ACCEPTED);

    String second = queue();
    claim();
    clock.advance(LEASE);
    reaper.runOnce();
    claim(); // attempt 2 now holds it
    assertThat(store.jobs().complete(tenant, second, "agent-1", 1, JobState.SUCCEEDED, "{}", null, clock.instant()))
        .isEqualTo(JobStore.Completion.CONFLICT);
  }

  private String queue() {
    String id = Ulid.next();
    store.jobs().insert(Job.queued(id, tenant, null, Action.CUSTOMER_READ, "{\"customerNumber\":\"1\"}", null,
        clock.instant(), clock.instant().plus(DEADLINE)));
    return id;
  }

  private List<Job> claim() {
    return store.jobs().claim(tenant, "default", "agent-1", 1, clock.instant(), clock.instant().plus(LEASE));
  }

  private JobState state(String id) {
    return store.jobs().find(tenant, id).orElseThrow().state();
  }
}
