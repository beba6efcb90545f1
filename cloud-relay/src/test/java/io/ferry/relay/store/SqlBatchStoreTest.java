package io.ferry.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Action;
import io.ferry.relay.store.JobStore.IdempotencyEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch tables on a real SQLite file and a real PostgreSQL database: intake visibility, idempotency,
 * and what one step does.
 */
@ParameterizedClass
@EnumSource(StoreSettings.Kind.class)
class SqlBatchStoreTest {

  private static final Instant NOW = Instant.parse("2025-05-01T10:00:00Z");

  @TempDir
  Path dir;
  @Parameter
  StoreSettings.Kind kind;
  private TestStore opened;
  private SqlStore store;
  private BatchStore batches;
  private String tenant;

  @BeforeEach
  void open() {
    opened = TestStore.open(kind, dir);
    store = opened.store();
    batches = store.batches();
    tenant = store.access().ensureTenant("acme", Ulid.next(), NOW);
  }

  @AfterEach
  void close() {
    opened.close();
  }

  private Batch intake(boolean stop) {
    Batch b = Batch.intake(Ulid.next(), tenant, null, Action.CUSTOMER_UPSERT, stop, null, NOW);
    batches.beginIntake(b);
    return b;
  }

  private static BatchRecord pending(int i, String key) {
    return BatchRecord.pending(i, key, key, null, "{\"customer\":{\"externalId\":\"" + key + "\"}}");
  }

  /** Jobs made and outcomes decided the way the runner does, minus JSON. */
  private final BatchStore.StepJobs jobs = new BatchStore.StepJobs() {
    @Override
    public Job newJob(Batch batch, String requestJson, Instant now) {
      return Job.queued(Ulid.next(), batch.tenantId(), null, batch.action(), requestJson, null, now,
          now.plus(Duration.ofMinutes(10)));
    }

    @Override
    public BatchStore.Settled settle(Job ended) {
      return ended.state() == JobState.SUCCEEDED ? new BatchStore.Settled(true, "0000100001", "CREATED", null)
          : new BatchStore.Settled(false, null, null, "{\"status\":422}");
    }
  };

  private List<Job> claimAll() {
    return store.jobs().claim(tenant, "default", "agent-1", 50, NOW, NOW.plusSeconds(60));
  }

  private void finish(Job job, JobState outcome) {
    assertThat(store.jobs().complete(tenant, job.id(), "agent-1", job.attempt(), outcome, "{}", null, NOW))
        .isEqualTo(JobStore.Completion.ACCEPTED);
  }

  @Test
  void aBatchIsInvisibleUntilCommittedAndADiscardedIntakeLeavesNothing() {
    Batch b = intake(false);
    batches.appendRecords(b.id(), List.of(pending(1, "A"), pending(2, "B")));
    assertThat(batches.findBatch(tenant, b.id())).isEmpty();
    assertThat(batches.runningBatches()).isEmpty();

    batches.discardIntake(b.id());
    assertThat(batches.records(b.id(), 0, null, 10)).isEmpty();

    Batch left = intake(false);
    batches.appendRecords(left.id(), List.of(pending(1, "A")));
    if (kind == StoreSettings.Kind.POSTGRES) {
      // Several relays share the database: a young intake may be another relay's upload in progress.
      assertThat(batches.discardUnfinishedIntakes(NOW)).isZero();
    }
    Instant later = NOW.plus(SqlBatchStore.ABANDONED_INTAKE).plusSeconds(1);
    assertThat(batches.discardUnfinishedIntakes(later)).isEqualTo(1);
    assertThat(batches.discardUnfinishedIntakes(later)).isZero();
  }

  @Test
  void aCommitUnderAKeyUsedBeforeWritesNothingAndReturnsTheEarlierEntry() {
    Batch first = intake(false);
    batches.appendRecords(first.id(), List.of(pending(1, "A")));
    IdempotencyEntry key = new IdempotencyEntry(tenant, "k", "f1", first.id(), NOW, NOW.plus(Duration.ofHours(24)));
    assertThat(batches.commitIntake(first.id(), 1, 1, null, key, NOW)).isEmpty();
    assertThat(batches.findBatch(tenant, first.id())).map(Batch::state).contains(BatchState.RUNNING);

    Batch second = intake(false);
    Optional<IdempotencyEntry> earlier = batches.commitIntake(second.id(), 1, 1, null,
        new IdempotencyEntry(tenant, "k", "f1", second.id(), NOW, NOW.plus(Duration.ofHours(24))), NOW);
    assertThat(earlier).map(IdempotencyEntry::jobId).contains(first.id());
    assertThat(batches.findBatch(tenant, second.id())).isEmpty();
    assertThat(store.jobs().findIdempotencyKey(tenant, "k", NOW)).map(IdempotencyEntry::jobId).contains(first.id());
  }

  @Test
  void aBatchWithNothingToRunIsCompletedAtCommit() {
    Batch b = intake(false);
    batches.appendRecords(b.id(), List.of(BatchRecord.invalid(1, "A", null, "{\"status\":422}")));
    batches.commitIntake(b.id(), 1, 0, null, null, NOW);
    Batch committed = batches.findBatch(tenant, b.id()).orElseThrow();
    assertThat(committed.state()).isEqualTo(BatchState.COMPLETED);
    assertThat(committed.finishedAt()).isEqualTo(NOW);
    assertThat(batches.counts(b.id())).isEqualTo(new BatchCounts(1, 0, 0, 0, 1, 0));
  }

  @Test
  void aStepFillsFreeSlotsInOrderSkippingKeysInFlightAndSettlesEndedJobs() {
    Batch b = intake(false);
    batches.appendRecords(b.id(), List.of(pending(1, "A"), pending(2, "A"), pending(3, "B"), pending(4, "C")));
    batches.commitIntake(b.id(), 4, 4, null, null, NOW);

    BatchStore.Step first = batches.advance(b, 2, NOW, jobs);
    assertThat(first).isEqualTo(new BatchStore.Step(0, 2, BatchState.RUNNING));
    List<BatchRecord> records = batches.records(b.id(), 0, null, 10);
    assertThat(records).extracting(BatchRecord::state).containsExactly(RecordState.IN_FLIGHT, RecordState.PENDING,
        RecordState.IN_FLIGHT, RecordState.PENDING);
    assertThat(batches.counts(b.id())).isEqualTo(new BatchCounts(4, 4, 0, 0, 0, 0));
    assertThat(batches.advance(b, 2, NOW, jobs).queued()).as("no free slot").isZero();

    List<Job> leased = claimAll();
    assertThat(leased).hasSize(2);
    assertThat(batches.counts(b.id())).isEqualTo(new BatchCounts(4, 2, 2, 0, 0, 0));
    Job a = leased.stream().filter(j -> j.requestJson().contains("\"A\"")).findFirst().orElseThrow();
    finish(a, JobState.SUCCEEDED);
    BatchStore.Step second = batches.advance(b, 2, NOW, jobs);
    assertThat(second).isEqualTo(new BatchStore.Step(1, 1, BatchState.RUNNING));
    records = batches.records(b.id(), 0, null, 10);
    assertThat(records.get(0).state()).isEqualTo(RecordState.SUCCEEDED);
    assertThat(records.get(0).customerNumber()).isEqualTo("0000100001");
    assertThat(records.get(0).effect()).isEqualTo("CREATED");
    assertThat(records.get(1).state()).as("A's second record, now that the first is done").isEqualTo(RecordState.IN_FLIGHT);
    assertThat(records.get(3).state()).isEqualTo(RecordState.PENDING);
  }

  @Test
  void inStopModeAFailureEndsTheBatchOnceNothingIsInFlightAndSkipsThePending() {
    Batch b = intake(true);
    List<BatchRecord> records = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      records.add(pending(i, "K" + i));
    }
    batches.appendRecords(b.id(), records);
    batches.commitIntake(b.id(), 5, 5, null, null, NOW);
    batches.advance(b, 2, NOW, jobs);
    List<Job> leased = claimAll();

    finish(leased.get(0), JobState.FAILED);
    assertThat(batches.advance(b, 2, NOW, jobs)).isEqualTo(new BatchStore.Step(1, 0, BatchState.RUNNING));
    finish(leased.get(1), JobState.SUCCEEDED);
    assertThat(batches.advance(b, 2, NOW, jobs)).isEqualTo(new BatchStore.Step(1, 0, BatchState.STOPPED));

    assertThat(batches.counts(b.id())).isEqualTo(new BatchCounts(5, 0, 0, 1, 1, 3));
    assertThat(batches.runningBatches()).isEmpty();
    assertThat(batches.records(b.id(), 0, RecordState.FAILED, 10)).singleElement()
        .satisfies(r -> assertThat(r.problemJson()).isEqualTo("{\"status\":422}"));
  }
}
