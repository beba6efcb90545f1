package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.AgentConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No "online but idle" agent: the network path between agent and relay freezes during a held poll (a
 * proxy stops forwarding bytes and closes nothing). The agent's read timeout is a minute, far beyond the
 * test; only its poll watchdog (agent.poll-watchdog 4 s) can notice — on the agent's stream, through pings
 * every half of it that go unanswered. It abandons the stuck poll, polls again on a fresh connection, and
 * takes a newly queued job by itself once the path works again.
 */
class FrozenNetworkPathTest {

  private static final Duration HOLD = Duration.ofSeconds(2);
  private static final Duration WATCHDOG = HOLD.plusSeconds(2);

  @TempDir Path dir;
  private FerryStack stack;
  private FreezableProxy proxy;

  @AfterEach
  void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  private static AgentConfig through(AgentConfig c, java.net.URI relay) {
    return c.toBuilder().relayUrl(relay).pollTimeout(Duration.ofSeconds(60)).pollWatchdog(WATCHDOG)
        .metrics(io.ferry.agent.metrics.MetricsSettings.OFF).transport(AgentConfig.Transport.STREAM).build();
  }

  @Test
  void aPollStuckOnAFrozenPathIsAbandonedAndTheAgentTakesTheNextJobByItself() throws Exception {
    stack = new FerryStack(dir, FerryStack.Sap.BAPI).withPollHold(HOLD);
    proxy = FreezableProxy.start(() -> new InetSocketAddress("127.0.0.1", stack.url().getPort()));
    stack.withAgent(c -> through(c, proxy.uri())).start();
    Engine engine = new Engine(stack.url(), stack.apiKey());
    assertThat(engine.post("/v1/customers", CustomerLifecycleTest.customer("F0", "DE", "")).status())
        .as("a job before the freeze").isEqualTo(201);

    // The freeze is about the poll: the agent's answer to the first job must not be caught in it too (a
    // result on a frozen connection waits for the read timeout, which this test does not exercise).
    assertThat(stack.agent().awaitResultsDelivered(Duration.ofSeconds(10))).isTrue();
    int connectionsBefore = proxy.accepted();
    long frozenAt = System.nanoTime();
    proxy.freeze();

    // Nothing but the watchdog can end the stuck poll: the relay's answer never arrives, the read timeout is 60 s.
    assertThat(proxy.awaitAccepted(connectionsBefore + 1, WATCHDOG.plusSeconds(10)))
        .as("the agent connects again by itself").isTrue();
    assertThat(stack.agent().abandonedPolls()).isGreaterThanOrEqualTo(1);
    // The stuck poll started before the freeze, so its watchdog fires at most WATCHDOG after it.
    assertThat(Duration.ofNanos(System.nanoTime() - frozenAt)).isLessThan(WATCHDOG.plusSeconds(3));

    proxy.thaw();
    // Its new stream open (the old one, frozen, stays open at the relay until its idle timeout): from now on the
    // relay hands jobs to the new one. A job queued in the very instant of the reconnection could still go to the
    // poll parked on the dead connection and wait out its lease, as docs/reliability.md says.
    FerryStack.await(() -> stack.relayOpenStreams() == 2, Duration.ofSeconds(10));
    Engine.Answer created = engine.post("/v1/customers", CustomerLifecycleTest.customer("F1", "DE", ""));

    assertThat(created.status()).as("the job queued after the freeze is taken within the sync window").isEqualTo(201);
    assertThat(created.body().get("externalId").asText()).isEqualTo("CRM-F1");
    assertThat(Duration.ofNanos(System.nanoTime() - frozenAt)).isLessThan(Duration.ofSeconds(25));
  }
}
