package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ferry.agent.AgentConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A real agent and relay on loopback: by default the agent's polls and results travel on its stream once it has
 * a session (the relay's access log then shows no poll or result request for them); with
 * {@code agent.transport=poll} they are HTTP requests as before. Either way the engine gets its customers.
 */
class AgentStreamEndToEndTest {

  @TempDir
  Path dir;

  private final ListAppender<ILoggingEvent> access = new ListAppender<>();
  private final Logger accessLog = (Logger) LoggerFactory.getLogger("io.ferry.relay.access");

  @BeforeEach
  void capture() {
    access.start();
    accessLog.addAppender(access);
  }

  @AfterEach
  void release() {
    accessLog.detachAppender(access);
  }

  private List<String> agentRequests() {
    synchronized (access) {
      return access.list.stream().map(ILoggingEvent::getFormattedMessage)
          .filter(m -> m.contains(" /agent/v1/")).toList();
    }
  }

  private static void createThree(Engine engine, String prefix) throws Exception {
    for (int i = 1; i <= 3; i++) {
      Engine.Answer created = engine.post("/v1/customers", CustomerLifecycleTest.customer(prefix + i, "DE", ""));
      assertThat(created.status()).isEqualTo(201);
      assertThat(created.body().get("customerNumber").asText()).isNotBlank();
    }
  }

  @Test
  void withAStreamPollsAndResultsAreNoRequestsOfTheirOwn() throws Exception {
    try (FerryStack stack = new FerryStack(dir, FerryStack.Sap.BAPI).start()) {
      Engine engine = new Engine(stack.url(), stack.apiKey());
      createThree(engine, "S"); // the session, and with it the stream, opens in the background meanwhile
      FerryStack.await(() -> stack.relayOpenStreams() == 1, Duration.ofSeconds(20));
      int before = agentRequests().size();

      createThree(engine, "T");

      assertThat(agentRequests().subList(before, agentRequests().size()))
          .as("no poll and no result as a request of its own once the stream is open")
          .noneMatch(m -> m.contains("/agent/v1/poll") || m.contains("/result"));
    }
  }

  @Test
  void withTransportPollTheAgentMakesRequestsAndOpensNoStream() throws Exception {
    try (FerryStack stack = new FerryStack(dir, FerryStack.Sap.BAPI)
        .withAgent(c -> c.toBuilder().transport(AgentConfig.Transport.POLL).build()).start()) {
      Engine engine = new Engine(stack.url(), stack.apiKey());
      createThree(engine, "P");
      Thread.sleep(500); // the session opens in the background: time for a stream, were one opened
      createThree(engine, "Q");

      assertThat(stack.relayOpenStreams()).isZero();
      assertThat(agentRequests()).noneMatch(m -> m.contains("/agent/v1/stream"))
          .anyMatch(m -> m.contains("POST /agent/v1/poll"));
    }
  }
}
