package io.ferry.relay.http;

import io.javalin.http.Context;
import java.util.concurrent.CompletableFuture;

/**
 * Answers a request from a future. Javalin suspends the request (servlet async) until the future
 * completes, so the wait holds no thread; the answer, or the problem for a failure, is sent from
 * whichever thread completes it.
 */
final class Async {

  private Async() {}

  static void answer(Context ctx, CompletableFuture<Answer> pending) {
    ctx.future(() -> pending.handle((answer, failure) -> {
      try (var log = RequestIds.mdc(ctx)) { // a failure's log line names this request, whichever thread answers
        (failure == null ? answer : Problems.fromThrowable(failure, ctx)).send(ctx);
      }
      return null;
    }));
  }
}
