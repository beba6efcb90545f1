package io.ferry.agent.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeyedLocksTest {

  private final KeyedLocks locks = new KeyedLocks();

  @Test
  void theSameKeyWaitsForTheHolderAndAnotherKeyDoesNot() throws Exception {
    KeyedLocks.Held first = locks.lock("CRM-1");
    CountDownLatch gotIt = new CountDownLatch(1);
    CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
      try (KeyedLocks.Held h = locks.lock("CRM-1")) {
        gotIt.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    try (KeyedLocks.Held other = locks.lock("CRM-2")) {
      assertThat(locks.size()).isEqualTo(2);
    }
    assertThat(gotIt.await(100, TimeUnit.MILLISECONDS)).as("still held by the first").isFalse();

    first.close();
    assertThat(gotIt.await(5, TimeUnit.SECONDS)).isTrue();
    second.get(5, TimeUnit.SECONDS);
    assertThat(locks.size()).as("no lock is kept for keys nobody uses").isZero();
  }

  @Test
  void anInterruptedWaiterLeavesNothingBehind() throws Exception {
    KeyedLocks.Held held = locks.lock("CRM-1");
    Thread waiter = Thread.ofPlatform().start(() -> {
      try (KeyedLocks.Held h = locks.lock("CRM-1")) {
        throw new AssertionError("got a held lock");
      } catch (InterruptedException e) {
        // expected
      }
    });
    waiter.interrupt();
    waiter.join(5000);
    assertThat(waiter.isAlive()).isFalse();
    held.close();
    assertThat(locks.size()).isZero();
  }
}
