package io.ferry.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.relay.store.ChangeStore.NewChange;
import io.ferry.relay.store.ChangeStore.StoredChange;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The change feed's tables (V14) on a real SQLite file and a real PostgreSQL database: numbering, repeats,
 * tenants, pruning, and writers side by side.
 */
@ParameterizedClass
@EnumSource(StoreSettings.Kind.class)
class SqlChangeStoreTest {

  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  @TempDir
  Path dir;
  @Parameter
  StoreSettings.Kind kind;
  private TestStore opened;
  private ChangeStore changes;
  private String tenant;
  private String other;

  @BeforeEach
  void open() {
    opened = TestStore.open(kind, dir);
    changes = opened.store().changes();
    tenant = opened.store().access().ensureTenant("acme", Ulid.next(), NOW);
    other = opened.store().access().ensureTenant("globex", Ulid.next(), NOW);
  }

  @AfterEach
  void close() {
    opened.close();
  }

  private static NewChange change(String id) {
    return new NewChange(id, "customer.changed", "0000100001", null, NOW.minusSeconds(5),
        "{\"customerNumber\":\"0000100001\"}");
  }

  private static String id(int n) {
    return "chg_" + String.format("%032x", n);
  }

  private List<Long> seqs(String tenantId) {
    return changes.after(tenantId, 0, 1000).changes().stream().map(StoredChange::seq).toList();
  }

  @Test
  void changesAreNumberedInOrderAndARepeatIsCountedNotStored() {
    ChangeStore.Added first = changes.add(tenant, List.of(change(id(1)), change(id(2)), change(id(1))), NOW);
    assertThat(first).isEqualTo(new ChangeStore.Added(2, 1));
    ChangeStore.Added second = changes.add(tenant, List.of(change(id(2)), change(id(3))), NOW);
    assertThat(second).isEqualTo(new ChangeStore.Added(1, 1));

    List<StoredChange> all = changes.after(tenant, 0, 10).changes();
    assertThat(all).extracting(StoredChange::eventId).containsExactly(id(1), id(2), id(3));
    assertThat(all).extracting(StoredChange::seq).containsExactly(1L, 2L, 3L);
    assertThat(all.get(0).customerJson()).isEqualTo("{\"customerNumber\":\"0000100001\"}");
    assertThat(all.get(0).changedAt()).isEqualTo(NOW.minusSeconds(5));
    assertThat(all.get(0).receivedAt()).isEqualTo(NOW);
    assertThat(changes.after(tenant, 1, 1).changes()).extracting(StoredChange::eventId).containsExactly(id(2));
  }

  @Test
  void eachTenantHasItsOwnFeedAndNumbers() {
    changes.add(tenant, List.of(change(id(1)), change(id(2))), NOW);
    assertThat(changes.add(other, List.of(change(id(1))), NOW)).isEqualTo(new ChangeStore.Added(1, 0));
    assertThat(seqs(tenant)).containsExactly(1L, 2L);
    assertThat(seqs(other)).containsExactly(1L);
    assertThat(changes.after(other, 1, 10).changes()).isEmpty();
  }

  /** The feed's end, where a polling trigger starts: repeats do not move it, pruning does not take it back. */
  @Test
  void lastIsTheNewestNumberOfTheTenantOrZero() {
    assertThat(changes.last(tenant)).isZero();
    changes.add(tenant, List.of(change(id(1)), change(id(2))), NOW);
    changes.add(tenant, List.of(change(id(2))), NOW);
    changes.add(other, List.of(change(id(7))), NOW);
    assertThat(changes.last(tenant)).isEqualTo(2);
    assertThat(changes.last(other)).isEqualTo(1);
    changes.prune(NOW.plusSeconds(1));
    assertThat(changes.last(tenant)).isEqualTo(2);
  }

  @Test
  void pruningDeletesWhatIsOlderThanTheCutoffAndRecordsThroughWhichNumber() {
    changes.add(tenant, List.of(change(id(1)), change(id(2))), NOW);
    changes.add(tenant, List.of(change(id(3))), NOW.plus(Duration.ofHours(2)));
    changes.add(other, List.of(change(id(9))), NOW.plus(Duration.ofHours(2)));
    assertThat(changes.after(tenant, 0, 10).prunedThrough()).isZero();

    assertThat(changes.prune(NOW.plus(Duration.ofHours(1)))).isEqualTo(2);

    ChangeStore.Page left = changes.after(tenant, 0, 10);
    assertThat(left.changes()).extracting(StoredChange::eventId).containsExactly(id(3));
    assertThat(left.prunedThrough()).isEqualTo(2);
    assertThat(changes.after(other, 0, 10).prunedThrough()).isZero();
    assertThat(seqs(other)).containsExactly(1L);
    // Nothing more to prune: the record stays.
    assertThat(changes.prune(NOW.plus(Duration.ofHours(1)))).isZero();
    assertThat(changes.after(tenant, 0, 10).prunedThrough()).isEqualTo(2);
    // Numbers go on after the pruned ones; a pruned id is forgotten and counts as new.
    changes.add(tenant, List.of(change(id(1))), NOW.plus(Duration.ofHours(3)));
    assertThat(seqs(tenant)).containsExactly(3L, 4L);
  }

  /** Several writers at once (on PostgreSQL each on its own connection, as relays sharing it): no gap, no twice. */
  @Test
  void writersSideBySideNumberWithoutGapsOrDuplicates() {
    int writers = 8;
    int each = 25;
    List<CompletableFuture<ChangeStore.Added>> running = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int base = w * each;
      running.add(CompletableFuture.supplyAsync(() -> {
        ChangeStore.Added total = new ChangeStore.Added(0, 0);
        for (int i = 0; i < each; i++) {
          // Every writer also repeats one id another writer sends: stored once either way.
          ChangeStore.Added a = changes.add(tenant, List.of(change(id(base + i)), change(id(1_000_000 + i))), NOW);
          total = new ChangeStore.Added(total.added() + a.added(), total.repeated() + a.repeated());
        }
        return total;
      }));
    }
    int added = running.stream().map(CompletableFuture::join).mapToInt(ChangeStore.Added::added).sum();
    assertThat(added).isEqualTo(writers * each + each);
    assertThat(seqs(tenant)).containsExactlyElementsOf(
        IntStream.rangeClosed(1, writers * each + each).mapToObj(i -> (long) i).toList());
  }
}
