package io.ferry.cli.command;

import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.setup.SapBackends;
import io.ferry.agent.sap.SapDiagnosis;
import io.ferry.agent.sap.setup.SapSettings;
import io.ferry.cli.settings.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "test-sap", mixinStandardHelpOptions = true,
    description = {"Check the agent's way to SAP with its configuration, step by step, and say what to fix.",
        "BAPI: destination settings, network, logon, system, and each function module Ferry calls.",
        "OData: network, logon, CSRF token, the API_BUSINESS_PARTNER service and its authorization.",
        "With sales orders in policy.actions: their BAPIs, or the API_SALES_ORDER_SRV service.",
        "Changes nothing in SAP. Exit code 0 when every check passes, 1 otherwise."})
final class AgentTestSapCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with the sap.* settings (the agent's configuration).")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "The agent's data directory, where its secrets file is (agent.data-dir). Default: ~/.ferry/agent.")
  Path dataDir;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() {
    Logging.quiet();
    Settings raw = Settings.load(config, Roles.AGENT);
    Settings s = AgentSetup.withSecrets(raw, AgentSetup.dataDir(raw, dataDir));
    SapSettings sap = AgentSetup.sap(s, System::getenv);
    PrintWriter out = spec.commandLine().getOut();
    out.println("JCo: " + VersionProvider.jco());
    SapDiagnosis d;
    try (SapBackend backend = SapBackends.open(sap)) {
      // What the agent's policy.actions runs: the sales-order functions or service only when it runs orders.
      d = backend.diagnose(AgentSetup.policy(s).actions());
    }
    out.println("SAP backend " + d.backend() + " at " + d.target() + ":");
    for (SapDiagnosis.Check c : d.checks()) {
      if (c.ok()) {
        out.println("  ok      " + c.name());
      } else {
        out.println("  FAILED  " + c.name() + ": " + c.problem());
        if (c.advice() != null) {
          out.println("          what to do: " + c.advice());
        }
      }
    }
    out.println(d.ok() ? "SAP is ready for Ferry." : "SAP is not ready for Ferry; fix the first failed check and run this again.");
    out.flush();
    return d.ok() ? ExitCode.OK : ExitCode.FAILED;
  }
}
