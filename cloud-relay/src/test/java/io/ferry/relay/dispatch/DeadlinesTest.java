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

  @Test
  void waitsEndInTheOrderOfTheirDeadlinesAmongThousandsParkedForMinutes() throws Exception {
    try (Deadlines deadlines = new Deadlines("test-deadlines")) {
      java.util.List<CompletableFuture<String>> parked = new java.util.ArrayList<>();
      for (int i = 0; i < 6_000; i++) { // a fleet's polls on their streams, one per tick of the next five minutes
        parked.add(deadlines.completeOnTimeout(new CompletableFuture<>(), "held",
            TimeUnit.SECONDS.toNanos(60) + i * Deadlines.TICK_NANOS));
      }
      CompletableFuture<String> soon = deadlines.completeOnTimeout(new CompletableFuture<>(), "soon",
          TimeUnit.MILLISECONDS.toNanos(200));
      CompletableFuture<String> sooner = deadlines.completeOnTimeout(new CompletableFuture<>(), "sooner",
          TimeUnit.MILLISECONDS.toNanos(100));

      assertThat(sooner.get(10, TimeUnit.SECONDS)).isEqualTo("sooner");
      assertThat(soon.get(10, TimeUnit.SECONDS)).isEqualTo("soon");
      assertThat(parked).as("a minute and more away").noneMatch(CompletableFuture::isDone);
    }
  }

  @Test
  void aWaitDueBeforeTheSweeperMeansToLookWakesIt() throws Exception {
    try (Deadlines deadlines = new Deadlines("test-deadlines")) {
      deadlines.completeOnTimeout(new CompletableFuture<>(), "held", TimeUnit.MINUTES.toNanos(5));
      Thread.sleep(100); // the sweeper went to sleep until the held poll's deadline, or its once-a-second look
      long added = System.nanoTime();
      CompletableFuture<String> soon = deadlines.completeOnTimeout(new CompletableFuture<>(), "soon",
          TimeUnit.MILLISECONDS.toNanos(50));

      assertThat(soon.get(10, TimeUnit.SECONDS)).isEqualTo("soon");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - added))
          .as("ended near its 50 ms, not at the sweeper's next look a second later").isLessThan(500);
    }
  }
}
