package io.ferry.sapsim;

import java.util.ArrayList;
import java.util.List;

/**
 * One SAP user session. Creates and changes are queued here, as the update task queues them in
 * SAP, and reach the customer master only when {@code BAPI_TRANSACTION_COMMIT} runs in the same
 * session. A session that ends first takes them with it.
 */
final class Session {

  /** A queued database change. */
  interface Posting {
    void post(SapSystem system);
  }

  private final List<Posting> pending = new ArrayList<>();

  void queue(Posting p) {
    pending.add(p);
  }

  List<Posting> drain() {
    List<Posting> copy = List.copyOf(pending);
    pending.clear();
    return copy;
  }

  void discard() {
    pending.clear();
  }

  boolean hasPending() {
    return !pending.isEmpty();
  }
}
