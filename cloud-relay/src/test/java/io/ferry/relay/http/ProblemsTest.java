package io.ferry.relay.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Problem;
import io.ferry.protocol.Protocol;
import io.ferry.relay.store.StoreException;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The problem mapping for failures no handler expected: never a stack trace, always a request id. */
class ProblemsTest {

  private Javalin app;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.startupWatcherEnabled = false;
      var r = cfg.routes;
      {
        Routes.requestIdsAndProblems(r);
        r.get("/boom", ctx -> {
          throw new IllegalStateException("internal detail that must stay inside");
        });
        r.get("/store", ctx -> {
          throw new StoreException("could not write", new SQLException("disk I/O error"));
        });
        r.get("/async-boom", ctx -> Async.answer(ctx,
            CompletableFuture.failedFuture(new IllegalStateException("late failure"))));
      }
    }).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    app.stop();
  }

  @Test
  void anUnexpectedExceptionIsA500ProblemQuotingTheRequestId() throws Exception {
    HttpResponse<String> response = get("/boom", "req-123");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
    Problem problem = Protocol.json().readValue(response.body(), Problem.class);
    assertThat(problem.code()).isEqualTo("FERRY-RELAY-0900");
    assertThat(problem.detail()).contains("req-123");
    assertThat(response.body()).doesNotContain("internal detail", "IllegalStateException", "at io.ferry");
  }

  @Test
  void aFailedFutureIsMappedTheSameWay() throws Exception {
    HttpResponse<String> response = get("/async-boom", null);

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("FERRY-RELAY-0900").doesNotContain("late failure");
  }

  @Test
  void aStoreFailureIsA503WorthRetrying() throws Exception {
    HttpResponse<String> response = get("/store", null);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
    Problem problem = Protocol.json().readValue(response.body(), Problem.class);
    assertThat(problem.code()).isEqualTo("FERRY-RELAY-0901");
    assertThat(problem.retryable()).isTrue();
    assertThat(response.body()).doesNotContain("disk I/O");
  }

  /**
   * The agent's and the relay's FAILED log lines print {@link io.ferry.protocol.JobError.Kind#httpStatus()}: it
   * must be the status the engine really gets for a job that failed so.
   */
  @Test
  void theStatusAFailedLinePrintsIsTheOneTheEngineGets() {
    for (io.ferry.protocol.JobError.Kind kind : io.ferry.protocol.JobError.Kind.values()) {
      ProblemException p = Problems.forJobError(new io.ferry.protocol.JobError(kind, "FERRY-TEST-0001", "m",
          java.util.List.of()));
      assertThat(kind.httpStatus()).as(kind.name()).isEqualTo(p.type.status);
    }
    io.ferry.protocol.JobError invalid = io.ferry.relay.dispatch.JobOutput.invalidResult(io.ferry.protocol.Action.CUSTOMER_CREATE,
        java.util.List.of(new Problem.FieldError("customer.name", "must be at most 35 characters")));
    assertThat(Problems.forJobError(invalid).type.status).isEqualTo(502);
    assertThat(io.ferry.relay.dispatch.JobOutput.failureSummary(Protocol.json().valueToTree(invalid).toString()))
        .isEqualTo(": FERRY-RELAY-0508, HTTP 502");
  }

  private HttpResponse<String> get(String path, String requestId) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
    if (requestId != null) {
      request.header(RequestIds.HEADER, requestId);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
