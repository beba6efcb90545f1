package io.ferry.bench;

import io.ferry.agent.Agent;
import io.ferry.agent.AgentConfig;
import io.ferry.agent.sap.setup.SapSettings;
import io.ferry.relay.admin.RelayAdmin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A relay and an agent as the operator runs them: {@code ferry relay serve} and {@code ferry agent run}, each a
 * process of its own with the JVM options install/bin/ferry gives it, the agent on the simulated SAP (jco-mock
 * in its own process). The engine's calls come from this process. So each figure is what a deployment on one
 * machine pays, and the CPU of relay and agent is measured apart from the load generator's.
 */
final class ProcessStack implements Mode.Target {

  private final FerryProcess relay;
  private final FerryProcess agent;
  private final EngineClient engine;

  private ProcessStack(FerryProcess relay, FerryProcess agent, EngineClient engine) {
    this.relay = relay;
    this.agent = agent;
    this.engine = engine;
  }

  /** Writes the agent's configuration file for its data directory; returns the file. */
  @FunctionalInterface
  interface AgentConfigFile {
    Path write(Path agentDir) throws IOException;
  }

  /**
   * On the simulated SAP behind the JCo API. The simulator runs inside the agent's process and keeps every
   * customer created in its heap, which a real SAP does not: with the launcher's 64 MB the agent ended up
   * collecting garbage most of the time after some 60,000 creates. So this agent gets the launcher's options
   * with a heap the simulator's data fits in.
   */
  static ProcessStack start(Path dir, Settings settings) throws Exception {
    List<String> jvm = AgentFootprint.agentJvmOptions().stream()
        .map(o -> o.startsWith("-Xmx") ? "-Xmx512m" : o).toList();
    return start(dir, settings, agentDir -> AgentFootprint.writeConfig(dir, agentDir),
        Map.of(SapSettings.PASSWORD_ENV, Workload.SIMULATED_SAP.jco().get(SapSettings.PASSWORD_KEY)), jvm);
  }

  /** With the SAP the agent's {@code configFile} names, its password in {@code agentEnv}, the launcher's options. */
  static ProcessStack start(Path dir, Settings settings, AgentConfigFile configFile, Map<String, String> agentEnv)
      throws Exception {
    return start(dir, settings, configFile, agentEnv, AgentFootprint.agentJvmOptions());
  }

  private static ProcessStack start(Path dir, Settings settings, AgentConfigFile configFile,
      Map<String, String> agentEnv, List<String> agentJvmOptions) throws Exception {
    Path relayDir = dir.resolve("relay");
    String apiKey;
    String enrollment;
    try (RelayAdmin.Offline admin = RelayAdmin.open(relayDir)) {
      String tenant = admin.createTenant("bench");
      apiKey = admin.createApiKey(tenant).key();
      enrollment = admin.createEnrollmentToken(tenant, "default", Duration.ofHours(1));
    }
    // One engine sending as fast as it can: the per-key rate limit (500/min) would measure itself.
    Path relayConfig = Files.writeString(dir.resolve("relay.properties"), "relay.rate-limit=0\n");
    FerryProcess.Started<FerryProcess> relay = FerryProcess.relay(settings.launcher(), relayJvmOptions(), relayDir,
        dir.resolve("relay.log"), List.of("--config", relayConfig.toString()));
    FerryProcess agent = null;
    EngineClient engine = null;
    try {
      Path agentDir = dir.resolve("agent");
      Agent.enroll(AgentConfig.defaults(relay.url(), agentDir), enrollment, "bench-agent-process");
      Path config = configFile.write(agentDir);
      agent = FerryProcess.start(settings.launcher(),
          AgentFootprint.withClassDataSharing(agentJvmOptions, agentDir),
          List.of("agent", "run", "--config", config.toString(), "--relay", relay.url().toString(),
              "--workers", Integer.toString(settings.agentWorkers())),
          agentEnv, dir.resolve("agent.log"));
      engine = new EngineClient(relay.url(), apiKey, settings.runPrefix());
      awaitFirstCreate(engine, agent);
      return new ProcessStack(relay.process(), agent, engine);
    } catch (Exception | Error e) {
      if (engine != null) {
        engine.close();
      }
      if (agent != null) {
        agent.close();
      }
      relay.process().close();
      throw e;
    }
  }

  /** The relay's JVM options: none of its own, as install/bin/ferry starts it; FERRY_BENCH_RELAY_JAVA_OPTS adds some. */
  private static List<String> relayJvmOptions() {
    String extra = System.getenv("FERRY_BENCH_RELAY_JAVA_OPTS");
    List<String> options = new ArrayList<>();
    if (extra != null && !extra.isBlank()) {
      options.addAll(List.of(extra.strip().split("\\s+")));
    }
    return options;
  }

  /** Until one create went through: the agent process has started, polled and taken a job. */
  private static void awaitFirstCreate(EngineClient engine, FerryProcess agent) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    long seq = 0;
    while (true) {
      try {
        engine.create(--seq);
        return;
      } catch (IOException e) {
        if (!agent.isAlive()) {
          throw new IOException("the agent process ended before it took a job; its log:\n" + agent.tail(), e);
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("no create went through the agent process within 90 s (" + e.getMessage()
              + "); its log:\n" + agent.tail(), e);
        }
        Thread.sleep(200);
      }
    }
  }

  @Override
  public void create(long seq) throws IOException {
    engine.create(seq);
  }

  @Override
  public List<Mode.Measured> processes() {
    return List.of(new Mode.Measured("relay", relay.pid()), new Mode.Measured("agent", agent.pid()));
  }

  @Override
  public void close() {
    engine.close();
    agent.close();
    relay.close();
  }
}
