package io.ferry.cli.command;

import io.ferry.agent.Agent;
import io.ferry.agent.AgentConfig;
import io.ferry.agent.AgentCredentials;
import io.ferry.agent.AgentKeyFile;
import io.ferry.agent.relay.RelayException;
import io.ferry.cli.settings.Settings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "rotate-key", mixinStandardHelpOptions = true,
    description = {"Give this agent a new key pair without downtime: the new public key is registered with a",
        "request signed by the current key, then the new private key replaces the old one. A running agent",
        "switches at its next request; the relay accepts the old key for 10 more minutes.",
        "An agent enrolled with a (deprecated) bearer agent key moves to a key pair this way."})
final class AgentRotateKeyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Properties file with agent.* settings (relay URL, TLS, proxy).")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "The agent's data directory (agent.data-dir). Default: ~/.ferry/agent.")
  Path dataDir;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Logging.quiet();
    Settings raw = Settings.load(config, Roles.AGENT);
    Path dir = AgentSetup.dataDir(raw, dataDir);
    if (!AgentCredentials.exist(dir)) {
      throw new UserFacingException(ExitCode.NOT_AUTHORIZED, "this agent is not enrolled (" + AgentCredentials.file(dir)
          + " does not exist); run `ferry agent enroll --relay URL --token TOKEN` first");
    }
    AgentCredentials credentials = AgentCredentials.load(dir);
    try {
      AgentConfig cfg = AgentSetup.config(AgentSetup.withSecrets(raw, dir), dir, null, null, credentials.relayUrl(),
          System::getenv);
      Instant oldUntil = Agent.rotateKey(cfg);
      spec.commandLine().getOut().printf("Agent %s has a new key in %s; the relay accepts the previous one until %s%n",
          credentials.agentId(), AgentKeyFile.file(dir), oldUntil);
      return ExitCode.OK;
    } catch (RelayException e) {
      int code = e.kind() == RelayException.Kind.UNAUTHORIZED ? ExitCode.NOT_AUTHORIZED : ExitCode.FAILED;
      throw new UserFacingException(code, "key rotation failed (the current key stays in use): " + e.getMessage());
    }
  }
}
