package io.ferry.cli.command;

import io.ferry.agent.changes.ChangeSettings;
import io.ferry.agent.changes.CustomerChangePort;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
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
      ChangeSettings changes = AgentSetup.changes(s, ChangeSettings.OFF);
      if (changes.customers() && d.ok()) {
        d = withChangeScan(d, backend, changes);
      }
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

  /**
   * With {@code agent.changes.customers.enabled}: one change query of the last minute, as the watcher makes it
   * (RFC_READ_TABLE on CDHDR and KNA1, or A_BusinessPartner's change dates), so a missing table authorisation shows
   * here rather than as failing scans.
   */
  private static SapDiagnosis withChangeScan(SapDiagnosis d, SapBackend backend, ChangeSettings changes) {
    List<SapDiagnosis.Check> checks = new ArrayList<>(d.checks());
    String name = "change detection (agent.changes.customers.enabled)";
    var port = backend.port(CustomerChangePort.class);
    if (port.isEmpty()) {
      checks.add(SapDiagnosis.Check.failed(name, "the " + backend.name() + " backend cannot detect changes",
          "set agent.changes.customers.enabled=false"));
    } else {
      try {
        port.get().since(LocalDateTime.now(changes.sapTimeZone()).minusMinutes(1));
        checks.add(SapDiagnosis.Check.passed(name));
      } catch (SapException e) {
        checks.add(SapDiagnosis.Check.failed(name, e.getMessage(), "see docs/changes.md for the authorisations the "
            + "watcher needs (S_TABU_DIS or S_TABU_NAM for CDHDR and KNA1 with RFC_READ_TABLE)"));
      }
    }
    return new SapDiagnosis(d.backend(), d.target(), checks);
  }
}
