package io.ferry.agent.sap.resilience;

import java.time.Duration;

/** The wait between two attempts; injected so tests do not wait. */
@FunctionalInterface
interface Pause {

  void pause(Duration d) throws InterruptedException;

  /** Waits on the calling thread; an interrupt (the agent stopping) ends it. */
  Pause REAL = d -> {
    if (!d.isZero() && !d.isNegative()) {
      Thread.sleep(d);
    }
  };
}
