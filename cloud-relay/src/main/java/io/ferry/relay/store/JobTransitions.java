package io.ferry.relay.store;

import io.ferry.protocol.Action;
import java.time.Instant;

/**
 * Told of every job state change the store committed, right after the commit, on the thread that made
 * it: metrics count them here, with no query of their own. Must be quick and must not throw.
 */
public interface JobTransitions {

  JobTransitions NONE = new JobTransitions() { };

  /** A new job is QUEUED (an engine's request, or a batch's record). */
  default void queued(Job job) { }

  /** {@code job} (as claimed: LEASED, its new attempt) was handed to an agent at {@code now}. */
  default void leased(Job job, Instant now) { }

  /** A lapsed lease put {@code job} back in the queue for another attempt. */
  default void requeued(Job job) { }

  /** A job created at {@code createdAt} reached the final {@code state} at {@code now}. */
  default void ended(Action action, JobState state, Instant createdAt, Instant now) { }
}
