package io.ferry.agent.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.ferry.agent.relay.RelayClient;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every poll names the agent's catalog fingerprint as it is at that moment; an agent without one names none. */
class PollCatalogTest {

  private HttpServer relayServer;
  private final BlockingQueue<JsonNode> polls = new LinkedBlockingQueue<>();
  private RelayClient relay;
  private PollLoop loop;
  private Thread loopThread;

  @BeforeEach
  void start() throws Exception {
    relayServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    relayServer.createContext(Protocol.POLL_PATH, exchange -> {
      polls.add(Protocol.json().readTree(exchange.getRequestBody().readAllBytes()));
      byte[] answer = ("{\"protocolVersion\":" + Protocol.VERSION + ",\"jobs\":[]}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    relayServer.start();
    relay = new RelayClient(URI.create("http://127.0.0.1:" + relayServer.getAddress().getPort()), "fa_test",
        Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  private void poll(java.util.function.Supplier<String> catalog) {
    loop = new PollLoop(relay, new OneWorker(), new Backoff(Duration.ofMillis(50), Duration.ofMillis(100), () -> 0.5),
        "bapi", Clock.systemUTC(), Duration.ofSeconds(30)).catalog(catalog);
    loopThread = Thread.ofPlatform().name("poll-under-test").start(loop);
  }

  @AfterEach
  void stop() throws Exception {
    if (loop != null) {
      loop.stop();
      loopThread.join(Duration.ofSeconds(5));
    }
    relay.close();
    relayServer.stop(0);
  }

  @Test
  void eachPollCarriesTheFingerprintOfThatMoment() throws Exception {
    AtomicReference<String> fingerprint = new AtomicReference<>("0123456789abcdef");
    poll(fingerprint::get);

    JsonNode first = polls.poll(10, TimeUnit.SECONDS);
    fingerprint.set("fedcba9876543210");
    JsonNode later = null;
    for (int i = 0; i < 20 && (later == null || later.path("catalog").asText().equals("0123456789abcdef")); i++) {
      later = polls.poll(10, TimeUnit.SECONDS);
    }

    assertThat(first).isNotNull();
    assertThat(first.path("catalog").asText()).isEqualTo("0123456789abcdef");
    assertThat(later.path("catalog").asText()).isEqualTo("fedcba9876543210");
  }

  @Test
  void anAgentWithoutGrantsNamesNoCatalog() throws Exception {
    poll(() -> null);

    JsonNode first = polls.poll(10, TimeUnit.SECONDS);

    assertThat(first).isNotNull();
    assertThat(first.has("catalog")).isFalse();
    assertThat(first.path("actions").isArray()).isTrue();
  }

  /** One free worker, always. */
  private static final class OneWorker implements JobSink {
    @Override
    public int awaitCapacity() {
      return 1;
    }

    @Override
    public int inFlight() {
      return 0;
    }

    @Override
    public void accept(JobEnvelope job) {}
  }
}
