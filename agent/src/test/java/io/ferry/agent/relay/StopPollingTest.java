package io.ferry.agent.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ferry.protocol.Action;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.PollRequest;
import io.ferry.protocol.PollResponse;
import io.ferry.protocol.Protocol;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stopping agent says goodbye before it gives up its held poll: a job the relay handed to that poll a moment
 * before the goodbye reaches the agent (which runs it before it stops) instead of waiting out its lease.
 */
class StopPollingTest {

  private HttpServer relay;

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.stop(0);
    }
  }

  @Test
  void aJobHandedToTheHeldPollJustBeforeTheGoodbyeStillReachesTheAgent() throws Exception {
    JobEnvelope handed = new JobEnvelope(Protocol.VERSION, "job-at-the-goodbye", Action.CUSTOMER_READ, 1,
        Instant.now().plusSeconds(60), Instant.now().plusSeconds(600), "0000100001", null, null, null, null, null);
    CompletableFuture<byte[]> heldAnswer = new CompletableFuture<>();
    CountDownLatch pollHeld = new CountDownLatch(1);
    // Threads of the test's own: the common pool may have a single thread on a small machine, which the poll holds.
    ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    ExecutorService poller = Executors.newSingleThreadExecutor();
    relay = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    relay.setExecutor(Executors.newCachedThreadPool());
    relay.createContext(Protocol.POLL_PATH, exchange -> {
      exchange.getRequestBody().readAllBytes();
      if (exchange.getRequestMethod().equals("DELETE")) {
        // The relay answers the poll it holds as it takes the goodbye, on another thread: that answer can come after
        // the goodbye's own 204. Here it always does, 100 ms later.
        byte[] answer = Protocol.json().writeValueAsBytes(new PollResponse(Protocol.VERSION, List.of(handed)));
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
        later.schedule(() -> heldAnswer.complete(answer), 100, TimeUnit.MILLISECONDS);
        return;
      }
      pollHeld.countDown();
      byte[] body = heldAnswer.orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> new byte[0]).join();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    relay.start();
    try (RelayClient client = new RelayClient(URI.create("http://127.0.0.1:" + relay.getAddress().getPort()),
        "fa_test", Duration.ofSeconds(2), Duration.ofSeconds(40))) {
      CompletableFuture<PollResponse> polled = CompletableFuture.supplyAsync(() -> {
        try {
          return client.poll(new PollRequest(Protocol.VERSION, 1, 0, "test", "bapi", null, null));
        } catch (RelayException e) {
          throw new IllegalStateException(e.kind() + ": " + e.getMessage(), e);
        }
      }, poller);
      assertThat(pollHeld.await(10, TimeUnit.SECONDS)).as("the poll reached the relay").isTrue();

      client.stopPolling();

      assertThat(polled.get(10, TimeUnit.SECONDS).jobs()).extracting(JobEnvelope::jobId)
          .as("the held poll's answer, not a cancelled call").containsExactly("job-at-the-goodbye");
    } finally {
      later.shutdownNow();
      poller.shutdownNow();
    }
  }
}
