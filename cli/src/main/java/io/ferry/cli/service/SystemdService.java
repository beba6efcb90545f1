package io.ferry.cli.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The agent as the systemd unit {@code ferry-agent.service}, rendered from the distribution's
 * {@code linux/ferry.service.in} (the template {@code install.sh} renders too, so both write the same unit).
 *
 * @param home the Ferry installation the unit starts ({@code /opt/ferry/current})
 * @param config the agent's configuration file
 * @param user the system user the agent runs as
 * @param dataDir the agent's data directory, the one place the unit lets it write
 * @param unitDir where systemd reads units ({@code /etc/systemd/system})
 */
public record SystemdService(Path home, Path config, String user, Path dataDir, Path unitDir) {

  public static final String UNIT = "ferry-agent.service";
  static final String TEMPLATE = "linux/ferry.service.in";

  public SystemdService {
    if (!user.matches("[a-z_][a-z0-9_-]*")) {
      throw new IllegalArgumentException("--user must be a plain user name, was '" + user + "'");
    }
    for (Path p : List.of(home, config, dataDir, unitDir)) {
      if (!p.isAbsolute()) {
        throw new IllegalArgumentException("service paths must be absolute, was '" + p + "'");
      }
    }
  }

  public Path unitFile() {
    return unitDir.resolve(UNIT);
  }

  public ServicePlan plan(ServiceAction action) throws IOException {
    return switch (action) {
      case INSTALL -> new ServicePlan(List.of(
          new Step.Write(unitFile(), unit()),
          Step.Run.of("systemctl", "daemon-reload"),
          Step.Run.of("systemctl", "enable", UNIT)),
          "installed and enabled " + UNIT + " (starts at boot); start it now with: ferry agent service start");
      case UNINSTALL -> new ServicePlan(List.of(
          Step.Run.tolerant("systemctl", "disable", "--now", UNIT),
          new Step.Delete(unitFile()),
          Step.Run.of("systemctl", "daemon-reload")),
          "removed " + UNIT + "; configuration and data are left as they are");
      case START -> new ServicePlan(List.of(Step.Run.of("systemctl", "start", UNIT)), "started " + UNIT);
      case STOP -> new ServicePlan(List.of(Step.Run.of("systemctl", "stop", UNIT)), "stopped " + UNIT);
      case STATUS -> new ServicePlan(List.of(Step.Run.of("systemctl", "--no-pager", "status", UNIT)), null);
    };
  }

  /** The unit file's text. */
  public String unit() throws IOException {
    String template;
    try {
      template = Files.readString(home.resolve(TEMPLATE));
    } catch (NoSuchFileException e) {
      throw new IOException("the unit template " + home.resolve(TEMPLATE) + " is missing; pass --home with the "
          + "Ferry installation (the folder with bin/ and linux/)", e);
    }
    Path configDir = config.getParent() == null ? Path.of("/") : config.getParent();
    return template
        .replace("@ROLE@", "agent")
        .replace("@RUN@", "run")
        .replace("@USER@", user)
        .replace("@HOME@", home.toString())
        .replace("@CONFIG@", config.toString())
        .replace("@ENV_FILE@", configDir.resolve("agent.env").toString())
        .replace("@DATA_DIR@", dataDir.toString())
        .replace("@CAPABILITIES@", "");
  }
}
