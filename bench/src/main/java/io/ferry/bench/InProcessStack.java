package io.ferry.bench;

import io.ferry.agent.Agent;
import io.ferry.agent.AgentConfig;
import io.ferry.agent.sap.setup.SapBackends;
import io.ferry.relay.Relay;
import io.ferry.relay.admin.RelayAdmin;
import io.ferry.relay.config.RelayConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One or two relays and an agent in this process, talking HTTP over loopback as in production, the agent on
 * the simulated SAP; the engine's calls are real HTTP requests too. With two relays (on one shared store)
 * the engine calls the first and the agent polls the last, so every job crosses between them. Rate
 * limiting is off: the benchmark is one engine sending as fast as it can, which the per-key limit
 * (500/min) would otherwise measure.
 */
final class InProcessStack implements Mode.Target {

  private final List<Relay> relays;
  private final Agent agent;
  private final EngineClient engine;
  private final PickupProbe pickup;
  private final Backing backing;

  private InProcessStack(List<Relay> relays, Agent agent, EngineClient engine, PickupProbe pickup, Backing backing) {
    this.relays = relays;
    this.agent = agent;
    this.engine = engine;
    this.pickup = pickup;
    this.backing = backing;
  }

  static InProcessStack start(Path dir, Settings settings, Backing backing, int relayCount) throws Exception {
    // One data directory for all relays: they share its keys (relay.key, job-signing-key.pem), as
    // docs/scaling.md asks of relays on one database.
    RelayConfig config = backing.relay(RelayConfig.defaults(dir.resolve("relay"))
        .withHost("127.0.0.1").withPort(0).withRateLimit(0));
    List<Relay> relays = new ArrayList<>();
    try {
      for (int i = 0; i < relayCount; i++) {
        relays.add(Relay.start(config));
      }
      Relay engineSide = relays.get(0);
      Relay agentSide = relays.get(relays.size() - 1);
      RelayAdmin admin = engineSide.admin();
      String tenant = admin.createTenant("bench");
      String apiKey = admin.createApiKey(tenant).key();
      AgentConfig agentConfig = backing.agent(AgentConfig.defaults(agentSide.baseUrl(), dir.resolve("agent"))
          .withWorkers(settings.agentWorkers()));
      Agent.enroll(agentConfig, admin.createEnrollmentToken(tenant, "default", Duration.ofHours(1)), "bench-agent");
      Agent agent = Agent.start(agentConfig, SapBackends.open(Workload.SIMULATED_SAP,
          agentConfig.policy().calls(null)));
      if (!agent.awaitConnected(Duration.ofSeconds(30))) {
        agent.close();
        throw new IllegalStateException("the in-process agent did not reach the relay within 30 s");
      }
      return new InProcessStack(relays, agent, new EngineClient(engineSide.baseUrl(), apiKey, settings.runPrefix()),
          PickupProbe.install(), backing);
    } catch (Exception | Error e) {
      relays.forEach(Relay::close);
      throw e;
    }
  }

  @Override
  public void create(long seq) throws IOException {
    engine.create(seq);
  }

  @Override
  public PickupProbe pickup() {
    return pickup;
  }

  @Override
  public void close() throws Exception {
    pickup.uninstall();
    engine.close();
    agent.close();
    relays.forEach(Relay::close);
    backing.close();
    Workload.forgetCustomers();
  }
}
