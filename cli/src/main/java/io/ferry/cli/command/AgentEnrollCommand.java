package io.ferry.cli.command;

import io.ferry.agent.Agent;
import io.ferry.agent.AgentConfig;
import io.ferry.agent.AgentCredentials;
import io.ferry.agent.relay.RelayException;
import io.ferry.cli.settings.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "enroll", mixinStandardHelpOptions = true,
    description = {"Register this agent with a relay, using a one-time token from the relay's operator.",
        "The agent's own key is stored in the data directory, readable by this user only."})
final class AgentEnrollCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--relay", required = true, paramLabel = "URL", description = "The relay's base URL, e.g. https://relay.example.com.")
  URI relay;

  @Option(names = "--token", required = true, description = "The one-time enrollment token (valid for one hour). Or set FERRY_AGENT_TOKEN.",
      defaultValue = "${env:FERRY_AGENT_TOKEN}")
  String token;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Properties file with agent.* settings: the relay's TLS (agent.tls.*) and the proxy (agent.proxy.*) apply to enrollment too.")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the agent keeps its key and journal (agent.data-dir). Default: ~/.ferry/agent.")
  Path dataDir;

  @Option(names = "--name", description = "A name for this agent as operators will see it. Default: the host name.")
  String name;

  @Option(names = "--force", description = "Enroll again even though this data directory already holds an identity.")
  boolean force;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Logging.quiet();
    Settings raw = Settings.load(config, Roles.AGENT);
    Path dir = AgentSetup.dataDir(raw, dataDir);
    if (AgentCredentials.exist(dir) && !force) {
      throw new UserFacingException(ExitCode.USAGE, "this agent is already enrolled (" + AgentCredentials.file(dir)
          + "); use --force to replace its identity");
    }
    try {
      AgentConfig cfg = AgentSetup.config(AgentSetup.withSecrets(raw, dir), dir, relay.toString(), null, null,
          System::getenv);
      AgentCredentials c = Agent.enroll(cfg, token, name);
      spec.commandLine().getOut().printf("Enrolled as agent %s (tenant %s, group %s); identity stored in %s%n",
          c.agentId(), c.tenantId(), c.agentGroup(), AgentCredentials.file(dir));
      return ExitCode.OK;
    } catch (RelayException e) {
      int code = e.kind() == RelayException.Kind.UNAUTHORIZED ? ExitCode.NOT_AUTHORIZED : ExitCode.FAILED;
      throw new UserFacingException(code, "enrollment failed: " + e.getMessage());
    }
  }
}
