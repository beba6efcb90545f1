package io.ferry.sapsim;

import java.util.Optional;

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
    Optional<String> failure = call.system().post(call.session().drain());
    if (failure.isPresent()) {
      call.session().discard();
      call.answer(Msg.postingFailed(failure.get()));
      return;
    }
    // The update task has run: the session's locks are released, as SAP does after a commit with WAIT.
    call.session().releaseLocks();
  }

  static void rollback(Call call) {
    call.session().discard();
  }
}
