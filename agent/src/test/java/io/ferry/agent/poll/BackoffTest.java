package io.ferry.agent.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  /** Jitter pinned at its top, so the delay equals the step. */
  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.999999);

  @Test
  void aSuccessCostsNoDelay() {
    backoff.success();
    assertThat(backoff.nextDelay()).isZero();
  }

  @Test
  void errorsDoubleTheStepUpToTheCap() {
    long[] seen = new long[7];
    for (int i = 0; i < seen.length; i++) {
      backoff.failure(Backoff.Failure.ERROR);
      seen[i] = backoff.nextDelay().toSeconds();
    }
    assertThat(seen).containsExactly(0, 1, 3, 7, 15, 29, 29);
  }

  @Test
  void aSuccessResetsTheStep() {
    backoff.failure(Backoff.Failure.ERROR);
    backoff.failure(Backoff.Failure.ERROR);
    backoff.success();
    backoff.failure(Backoff.Failure.ERROR);
    assertThat(backoff.nextDelay()).isLessThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.failures()).isEqualTo(1);
  }

  @Test
  void throttlingStartsWithALongerStepAndHonoursRetryAfter() {
    backoff.failure(Backoff.Failure.THROTTLED);
    assertThat(backoff.nextDelay()).isGreaterThan(Duration.ofSeconds(4));
    backoff.success();
    backoff.failure(Backoff.Failure.THROTTLED, Duration.ofSeconds(20));
    assertThat(backoff.nextDelay()).isGreaterThan(Duration.ofSeconds(19));
    backoff.failure(Backoff.Failure.THROTTLED, Duration.ofHours(1));
    assertThat(backoff.nextDelay()).isLessThanOrEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void jitterTakesAtMostHalfTheStep() {
    Backoff low = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(60), () -> 0.0);
    low.failure(Backoff.Failure.ERROR);
    assertThat(low.nextDelay()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void nonsenseBoundsAreRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), Math::random))
        .hasMessageContaining("initial");
  }
}
