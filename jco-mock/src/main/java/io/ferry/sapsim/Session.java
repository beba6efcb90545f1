package io.ferry.sapsim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One SAP user session. Creates and changes are queued here, as the update task queues them in
 * SAP, and reach the customer master only when {@code BAPI_TRANSACTION_COMMIT} runs in the same
 * session. A session that ends first takes them with it. The customers it has a create or change
 * pending on are locked for it in the system's lock table (enqueue EXKNA1) until it commits, rolls
 * back or ends.
 */
final class Session {

  /** A queued database change. */
  interface Posting {
    void post(SapSystem system);
  }

  private final List<Posting> pending = new ArrayList<>();
  private SapSystem system;
  private String user = "";
  private String client = "";

  /** The system, logon user and client this session runs in; set by every call. */
  void bind(SapSystem s, String logonUser, String logonClient) {
    this.system = s;
    this.user = logonUser == null ? "" : logonUser.toUpperCase(Locale.ROOT);
    this.client = logonClient == null ? "" : logonClient;
  }

  /** The logon client (MANDT), three digits. */
  String client() {
    return client;
  }

  String user() {
    return user;
  }

  void queue(Posting p) {
    pending.add(p);
  }

  List<Posting> drain() {
    List<Posting> copy = List.copyOf(pending);
    pending.clear();
    return copy;
  }

  /** Drops what was not committed and releases the session's locks. */
  void discard() {
    pending.clear();
    releaseLocks();
  }

  void releaseLocks() {
    if (system != null) {
      system.dequeueAll(this);
    }
  }

  boolean hasPending() {
    return !pending.isEmpty();
  }
}
