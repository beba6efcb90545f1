package io.ferry.agent.poll;

import io.ferry.protocol.JobEnvelope;

/** Where the poll loop hands jobs: a bounded executor that makes the loop wait while it is full. */
public interface JobSink {

  /** Blocks until at least one worker is free or {@code stop} is requested; returns the free count (0 when stopping). */
  int awaitCapacity() throws InterruptedException;

  int inFlight();

  void accept(JobEnvelope job);
}
