package io.ferry.cli.command;

import io.ferry.cli.service.ServiceAction;
import io.ferry.cli.service.ServicePlan;
import io.ferry.cli.service.ServicePlatform;
import io.ferry.cli.service.Step;
import io.ferry.cli.service.StepRunner;
import io.ferry.cli.service.SystemdService;
import io.ferry.cli.service.WinswService;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every {@code ferry agent service} subcommand does, for its own {@link ServiceAction}. */
abstract class AgentServiceAction implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServiceOptions options;

  abstract ServiceAction action();

  @Override
  public Integer call() throws Exception {
    ServiceAction action = action();
    ServicePlatform platform = options.platform();
    PrintWriter out = spec.commandLine().getOut();
    ServicePlan plan;
    if (platform == ServicePlatform.LINUX) {
      Path config = options.linuxConfig();
      plan = new SystemdService(options.home(), config, options.user, options.linuxDataDir(config),
          options.unitDir.toAbsolutePath()).plan(action);
    } else {
      plan = new WinswService(options.windowsDataDir()).plan(action);
    }
    if (options.dryRun) {
      out.println("# ferry agent service " + action.name().toLowerCase(java.util.Locale.ROOT) + " on "
          + platform.name().toLowerCase(java.util.Locale.ROOT) + " would:");
      for (Step step : plan.steps()) {
        out.println(step.describe());
      }
      out.flush();
      return ExitCode.OK;
    }
    checkHost(platform, action);
    int code = new StepRunner(out).run(plan);
    if (code != 0) {
      if (action == ServiceAction.STATUS) {
        return ExitCode.FAILED; // the service is not running: like `ferry agent status`
      }
      throw new UserFacingException(ExitCode.FAILED, "agent service " + action.name().toLowerCase(java.util.Locale.ROOT)
          + " failed (the service manager exited with " + code + ")");
    }
    if (plan.done() != null) {
      out.println(plan.done());
    }
    out.flush();
    return ExitCode.OK;
  }

  /** What systemd would otherwise only report at the first start, as 217/USER or 226/NAMESPACE. */
  private void checkLinuxInstall() {
    if (!ServiceOptions.userExists(options.user)) {
      throw new UserFacingException(ExitCode.CONFIG, "the user " + options.user + " does not exist: create it (useradd "
          + "--system --user-group --shell /usr/sbin/nologin " + options.user + ") or install with linux/install.sh, "
          + "which does");
    }
    Path config = options.linuxConfig();
    if (!Files.isRegularFile(config)) {
      throw new UserFacingException(ExitCode.CONFIG, "the agent's configuration " + config + " does not exist; pass "
          + "--config, or start from the distribution's conf/agent.properties");
    }
    Path data = options.linuxDataDir(config);
    if (!Files.isDirectory(data)) {
      throw new UserFacingException(ExitCode.CONFIG, "the agent's data directory " + data + " does not exist, and the "
          + "unit lets the agent write only there: mkdir -p " + data + " && chown " + options.user + " " + data);
    }
  }

  private void checkHost(ServicePlatform platform, ServiceAction action) {
    ServicePlatform here = ServicePlatform.current().orElse(null);
    if (here != platform) {
      throw new UserFacingException(ExitCode.UNSUPPORTED, "--platform " + platform.name().toLowerCase(java.util.Locale.ROOT)
          + " is not this host's; use it with --dry-run only");
    }
    if (platform == ServicePlatform.LINUX) {
      if (!Files.isDirectory(Path.of("/run/systemd/system"))) {
        throw new UserFacingException(ExitCode.UNSUPPORTED, "systemd is not running on this host (PID 1 is another "
            + "init, as in most containers); run `ferry agent run --config FILE` under the host's own supervisor");
      }
      if (action.changesHost() && !ServiceOptions.isLinuxRoot()) {
        throw new UserFacingException(ExitCode.NOT_AUTHORIZED, "agent service " + action.name().toLowerCase(java.util.Locale.ROOT)
            + " needs root: sudo ferry agent service " + action.name().toLowerCase(java.util.Locale.ROOT));
      }
      if (action == ServiceAction.INSTALL) {
        checkLinuxInstall();
      }
    } else {
      if (action.changesHost() && !ServiceOptions.isWindowsAdministrator()) {
        throw new UserFacingException(ExitCode.NOT_AUTHORIZED, "agent service " + action.name().toLowerCase(java.util.Locale.ROOT)
            + " needs an elevated prompt: open PowerShell with Run as administrator");
      }
      String wrapper = new WinswService(options.windowsDataDir()).wrapper();
      if (!Files.isRegularFile(Path.of(wrapper))) {
        throw new UserFacingException(ExitCode.CONFIG, "the service wrapper " + wrapper + " is missing: run "
            + "windows\\install.ps1 from the distribution, which downloads WinSW and checks its checksum");
      }
    }
  }
}
