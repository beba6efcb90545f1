package io.ferry.relay.dispatch;

/** Why a parked poll resumed. */
enum Signal {
  /** A job that this poll may take was queued. */
  WOKEN,
  /**
   * A new job is being handed to this poll directly (inserted leased to its agent); the waiter's
   * {@code handoff} brings it, or null when its insert did not happen.
   */
  HANDED,
  /** The hold ran out. */
  TIMEOUT,
  /** The relay is shutting down. */
  CLOSED
}
