package io.ferry.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ferry.agent.poll.Backoff;
import io.ferry.agent.relay.RelayClient;
import io.ferry.protocol.Customer;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox against a real HTTP endpoint on loopback that plays the relay's result route. */
class ResultOutboxTest {

  @TempDir Path dir;
  private HttpServer relay;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(204);

  private URI startRelay(int port) throws IOException {
    relay = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    relay.createContext("/agent/v1/jobs/", exchange -> {
      received.add(exchange.getRequestURI().getPath());
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(status.get(), -1);
      exchange.close();
    });
    relay.start();
    return URI.create("http://127.0.0.1:" + relay.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.stop(0);
    }
  }

  private ResultOutbox outbox(URI url) throws IOException {
    RelayClient client = new RelayClient(url, "fa_test", Duration.ofSeconds(1), Duration.ofSeconds(2));
    return new ResultOutbox(dir, client, new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), Math::random), Clock.systemUTC());
  }

  private static JobResult result(String jobId) {
    return new JobResult(Protocol.VERSION, jobId, 1, JobResult.Outcome.SUCCEEDED,
        Customer.builder().customerNumber("0000100001").build(), null, null, null);
  }

  @Test
  void aResultIsOnDiskBeforeItIsSentAndThenDelivered() throws Exception {
    ResultOutbox outbox = outbox(startRelay(0));
    outbox.put(result("job-1"));
    assertThat(dir.resolve("pending/job-1.json")).exists();
    outbox.start();
    assertThat(outbox.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(received).containsExactly("/agent/v1/jobs/job-1/result");
    assertThat(outbox.find("job-1")).isPresent();
    outbox.close();
  }

  @Test
  void resultsSurviveARelayOutageAndAnAgentRestart() throws Exception {
    int port;
    try (var probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + port);
    ResultOutbox first = outbox(url);
    first.start();
    first.put(result("job-2"));
    assertThat(first.flush(Duration.ofMillis(300))).isFalse();
    first.close();
    assertThat(dir.resolve("pending/job-2.json")).exists();

    startRelay(port);
    ResultOutbox second = outbox(url);
    second.start();
    assertThat(second.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(received).containsExactly("/agent/v1/jobs/job-2/result");
    second.close();
  }

  @Test
  void aResultTheRelayRefusesForGoodIsNotRetriedForEver() throws Exception {
    status.set(409);
    ResultOutbox outbox = outbox(startRelay(0));
    outbox.start();
    outbox.put(result("job-3"));
    assertThat(outbox.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(received).hasSize(1);
    assertThat(Files.exists(dir.resolve("pending/job-3.json"))).isFalse();
    outbox.close();
  }
}
