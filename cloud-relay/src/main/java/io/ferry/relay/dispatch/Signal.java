package io.ferry.relay.dispatch;

/** Why a parked poll resumed. */
enum Signal {
  /** A job that this poll may take was queued. */
  WOKEN,
  /** The hold ran out. */
  TIMEOUT,
  /** The relay is shutting down. */
  CLOSED
}
