package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sap.conn.jco.JCoException;
import io.ferry.agent.sap.resilience.BreakerState;
import io.ferry.agent.sap.resilience.ResilienceSettings;
import io.ferry.agent.status.AgentStatus;
import io.ferry.agent.status.StatusFile;
import io.ferry.sapsim.SapSimulator;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SAP that stays down: the agent's breaker opens, and the engine's 503 carries the remaining cool-down
 * as Retry-After; the running agent's status file says so.
 */
class SapOutageEndToEndTest {

  @TempDir Path dir;
  private FerryStack stack;

  @AfterEach
  void stop() {
    SapSimulator.instance().failNextCalls(0, 0);
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aSapThatStaysDownAnswers503WithTheBreakersCoolDownAsRetryAfter() throws Exception {
    SapSimulator.instance().reset();
    stack = new FerryStack(dir, FerryStack.Sap.BAPI).withAgent(c -> c.withSapResilience(
        new ResilienceSettings(2, Duration.ofMillis(1), Duration.ofMillis(5), 2, Duration.ofSeconds(90)))).start();
    Engine engine = new Engine(stack.url(), stack.apiKey());
    Path agentDir = dir.resolve("agent");
    AgentStatus atStart = StatusFile.read(agentDir).orElseThrow();
    assertThat(atStart.breakers()).singleElement().satisfies(b -> assertThat(b.state()).isEqualTo(BreakerState.CLOSED));

    SapSimulator.instance().failNextCalls(1000, JCoException.JCO_ERROR_COMMUNICATION);
    Engine.Answer first = engine.get("/v1/customers/100001"); // two attempts, two failures: the breaker opens
    Engine.Answer second = engine.get("/v1/customers/100001"); // refused by the open breaker

    assertThat(first.status()).isEqualTo(503);
    assertThat(first.header("Retry-After")).isEqualTo("30");
    assertThat(second.status()).isEqualTo(503);
    assertThat(second.body().get("detail").asText()).contains("circuit breaker");
    assertThat(Integer.parseInt(second.header("Retry-After"))).isBetween(60, 90);
  }
}
