package io.ferry.cli.command;

import io.ferry.cli.service.ServicePlatform;
import io.ferry.cli.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options every {@code ferry agent service} command shares. */
final class ServiceOptions {

  enum Platform { linux, windows }

  @Option(names = "--dry-run", description = "Print the commands and files instead of running and writing them.")
  boolean dryRun;

  @Option(names = "--platform", paramLabel = "OS",
      description = "linux or windows (default: this host's). Only useful with --dry-run on another system.")
  Platform platform;

  @Option(names = "--home", paramLabel = "DIR",
      description = "The Ferry installation the service starts (default: the one this command runs from).")
  Path home;

  @Option(names = "--config", paramLabel = "FILE",
      description = "The agent's configuration (default: /etc/ferry/agent.properties; Windows: "
          + "%%ProgramData%%\\Ferry\\agent.properties).")
  String config;

  @Option(names = "--user", paramLabel = "NAME", defaultValue = "ferry",
      description = "Linux: the system user the agent runs as (default: ${DEFAULT-VALUE}).")
  String user;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Linux: the agent's data directory, the only one it may write (default: agent.data-dir of --config, "
          + "else /var/lib/ferry/agent). Windows: the ProgramData folder (default: %%ProgramData%%\\Ferry).")
  String dataDir;

  @Option(names = "--unit-dir", paramLabel = "DIR", defaultValue = "/etc/systemd/system",
      description = "Linux: where the unit file goes (default: ${DEFAULT-VALUE}).")
  Path unitDir;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  ServicePlatform platform() {
    if (platform != null) {
      return platform == Platform.linux ? ServicePlatform.LINUX : ServicePlatform.WINDOWS;
    }
    return ServicePlatform.current().orElseThrow(() -> new UserFacingException(ExitCode.UNSUPPORTED,
        "ferry agent service supports Linux (systemd) and Windows; on " + System.getProperty("os.name")
            + " run `ferry agent run --config FILE` under the system's own service manager"));
  }

  Path home() {
    if (home != null) {
      return home.toAbsolutePath().normalize();
    }
    String launcher = System.getProperty("ferry.home");
    if (launcher == null || launcher.isBlank()) {
      throw new UserFacingException(ExitCode.USAGE,
          "cannot tell where Ferry is installed; pass --home (for example /opt/ferry/current)");
    }
    return Path.of(launcher).toAbsolutePath().normalize();
  }

  Path linuxConfig() {
    return Path.of(config == null ? "/etc/ferry/agent.properties" : config).toAbsolutePath();
  }

  Path linuxDataDir(Path configFile) {
    if (dataDir != null) {
      return Path.of(dataDir).toAbsolutePath();
    }
    if (Files.isReadable(configFile)) {
      String fromConfig = Settings.load(configFile, java.util.Map.of(), Roles.AGENT).get("agent.data-dir", null, null);
      if (fromConfig != null && !fromConfig.isBlank()) {
        return Path.of(fromConfig.strip()).toAbsolutePath();
      }
    }
    return Path.of("/var/lib/ferry/agent");
  }

  String windowsDataDir() {
    if (dataDir != null) {
      return dataDir;
    }
    String programData = System.getenv("ProgramData");
    return (programData == null || programData.isBlank() ? "C:\\ProgramData" : programData) + "\\Ferry";
  }

  static boolean isLinuxRoot() {
    try {
      return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    } catch (RuntimeException | LinkageError e) {
      return System.getProperty("user.name", "").toLowerCase(Locale.ROOT).equals("root");
    }
  }

  /** Whether the system knows {@code user} ({@code id -u}, which asks NSS as systemd will). */
  static boolean userExists(String user) {
    try {
      Process p = new ProcessBuilder("id", "-u", user).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@code net session} succeeds only in an elevated prompt: the usual test for administrator rights. */
  static boolean isWindowsAdministrator() {
    try {
      Process p = new ProcessBuilder("net", "session").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
