package io.ferry.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UlidTest {

  private static final long MILLIS = 1_780_000_000_000L;
  private final Ulid.Monotonic ids = new Ulid.Monotonic();

  @Test
  void idsOfOneMillisecondSortInTheOrderTheyWereMade() {
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      made.add(ids.next(MILLIS));
    }
    assertThat(made).isSorted().doesNotHaveDuplicates();
    assertThat(made).allSatisfy(id -> assertThat(id).startsWith(made.get(0).substring(0, 10)));
    assertThat(made).allSatisfy(id -> assertThat(Ulid.looksLike(id)).isTrue());
  }

  @Test
  void aClockSteppingBackStillGivesLaterIds() {
    String first = ids.next(MILLIS);
    String afterStepBack = ids.next(MILLIS - 5_000);

    assertThat(afterStepBack).isGreaterThan(first);
  }

  @Test
  void idsOfLaterMillisecondsSortAfterAndCarryTheirTime() {
    String a = ids.next(MILLIS);
    String b = ids.next(MILLIS + 1);

    assertThat(b).isGreaterThan(a);
    assertThat(b.substring(0, 10)).isNotEqualTo(a.substring(0, 10));
  }
}
