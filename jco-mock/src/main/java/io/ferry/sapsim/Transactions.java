package io.ferry.sapsim;

/**
 * {@code BAPI_TRANSACTION_COMMIT} and {@code BAPI_TRANSACTION_ROLLBACK}. They act on the session
 * they run in only: a commit outside the create's {@code JCoContext} has nothing to commit.
 */
final class Transactions {

  private Transactions() {}

  static void commit(Call call) {
    if (call.system().takeCommitFailure()) {
      call.session().discard();
      call.answer(Msg.postingFailed());
      return;
    }
    for (Session.Posting p : call.session().drain()) {
      p.post(call.system());
    }
    // The update task has run: the session's locks are released, as SAP does after a commit with WAIT.
    call.session().releaseLocks();
  }

  static void rollback(Call call) {
    call.session().discard();
  }
}
