package io.ferry.relay.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

  @Test
  void aWaitStillOpenAtItsDeadlineGetsTheValueAndOneAnsweredBeforeKeepsItsOwn() throws Exception {
    try (Deadlines deadlines = new Deadlines("test-deadlines")) {
      CompletableFuture<String> quiet = deadlines.completeOnTimeout(new CompletableFuture<>(), "timeout",
          TimeUnit.MILLISECONDS.toNanos(100));
      CompletableFuture<String> answered = deadlines.completeOnTimeout(new CompletableFuture<>(), "timeout",
          TimeUnit.MILLISECONDS.toNanos(100));
      CompletableFuture<String> later = deadlines.completeOnTimeout(new CompletableFuture<>(), "timeout",
          TimeUnit.MINUTES.toNanos(10));
      answered.complete("job");

      assertThat(quiet.get(10, TimeUnit.SECONDS)).isEqualTo("timeout");
      assertThat(answered.get()).isEqualTo("job");
      assertThat(later).as("ten minutes away").isNotDone();
      assertThat(deadlines.completeOnTimeout(new CompletableFuture<>(), "now", 0).getNow(null))
          .as("no time left: at once").isEqualTo("now");
    }
  }
}
