package io.ferry.agent.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog's real timer, which notes each arming and wakes only at the deadlines it finds: it fires what is
 * armed when its time is up, never earlier, and nothing that was disarmed or replaced. Only lower bounds and
 * generous upper bounds on time are asserted.
 */
class ThreadedWatchdogSchedulerTest {

  private final PollWatchdog.Scheduler scheduler = PollWatchdog.threaded();

  @AfterEach
  void close() {
    scheduler.close();
  }

  /** A timer armed now, which notes when it fired. */
  private static final class Timed implements Runnable {
    final long armedAt = System.nanoTime();
    final CountDownLatch fired = new CountDownLatch(1);
    final AtomicLong firedAt = new AtomicLong();

    @Override
    public void run() {
      firedAt.set(System.nanoTime());
      fired.countDown();
    }

    /** Waits (10 s at most) for it to fire, then says how long after arming it did. */
    long firedAfterNanos() throws InterruptedException {
      assertThat(fired.await(10, TimeUnit.SECONDS)).as("fired").isTrue();
      return firedAt.get() - armedAt;
    }
  }

  @Test
  void anArmedTimerFiresOnceItsDelayIsUp() throws Exception {
    Timed timed = new Timed();
    scheduler.schedule(timed, Duration.ofMillis(100));

    assertThat(timed.firedAfterNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
  }

  @Test
  void aDisarmedTimerNeverFires() throws Exception {
    AtomicInteger fired = new AtomicInteger();
    scheduler.schedule(fired::incrementAndGet, Duration.ofMillis(50)).disarm();

    Thread.sleep(400);

    assertThat(fired).hasValue(0);
  }

  @Test
  void aTimerArmedAfterAnotherWasDisarmedFiresAtItsOwnDeadlineNotAtTheFirstOnes() throws Exception {
    AtomicInteger first = new AtomicInteger();
    scheduler.schedule(first::incrementAndGet, Duration.ofMillis(100)).disarm();
    Thread.sleep(50);
    Timed second = new Timed();
    scheduler.schedule(second, Duration.ofMillis(300));

    assertThat(second.firedAfterNanos())
        .as("not at the first timer's deadline, 50 ms after the second was armed")
        .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
    assertThat(first).hasValue(0);
  }

  @Test
  void aShorterDelayArmedWhileALongerOneWaitsStillFiresOnTime() throws Exception {
    scheduler.schedule(() -> { }, Duration.ofMinutes(10)).disarm();
    CountDownLatch fired = new CountDownLatch(1);

    scheduler.schedule(fired::countDown, Duration.ofMillis(50));

    assertThat(fired.await(10, TimeUnit.SECONDS)).as("fired without waiting for the ten-minute wake-up").isTrue();
  }

  @Test
  void armingAgainAfterATimerFiredWorksAsTheFirstTime() throws Exception {
    CountDownLatch first = new CountDownLatch(1);
    scheduler.schedule(first::countDown, Duration.ofMillis(20));
    assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
    CountDownLatch second = new CountDownLatch(1);

    scheduler.schedule(second::countDown, Duration.ofMillis(20));

    assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
