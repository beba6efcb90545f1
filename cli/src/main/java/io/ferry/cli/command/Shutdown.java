package io.ferry.cli.command;

import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command alive until the JVM is asked to stop (Ctrl-C, SIGTERM, a service stop). */
final class Shutdown {

  private Shutdown() {}

  /**
   * Runs {@code onStop} in a shutdown hook and blocks the calling thread for good: the JVM exits when
   * the hook is done. (Returning to {@code System.exit} from here would block, as the JVM is already
   * shutting down.)
   */
  static void awaitSignal(Runnable onStop) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("ferry-shutdown").unstarted(() -> {
      try {
        onStop.run();
      } finally {
        done.countDown();
      }
    }));
    done.await();
    Thread.currentThread().join();
  }
}
