package io.ferry.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code ferry agent service}: the exact commands and unit file per platform (--dry-run), and its refusals. */
class AgentServiceCommandTest {

  /** The source tree's installation: bin/ferry and linux/ferry.service.in, as a distribution has them. */
  private static final Path HOME = Path.of("..", "install").toAbsolutePath().normalize();

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return FerryCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  @Test
  void installOnLinuxWritesTheHardenedUnitThenReloadsAndEnables() throws Exception {
    Path config = Files.writeString(dir.resolve("agent.properties"), "agent.data-dir=/srv/ferry/agent\n");

    int code = run("agent", "service", "install", "--dry-run", "--platform", "linux", "--home", HOME.toString(),
        "--config", config.toString(), "--user", "svc-ferry");

    assertThat(code).as(err.toString()).isZero();
    String printed = out.toString();
    assertThat(printed).contains("write /etc/systemd/system/ferry-agent.service:",
        "ExecStart=" + HOME + "/bin/ferry agent run --config " + config,
        "User=svc-ferry", "ReadWritePaths=/srv/ferry/agent", "EnvironmentFile=-" + dir.resolve("agent.env"),
        "NoNewPrivileges=true", "ProtectSystem=strict", "ProtectHome=true", "PrivateTmp=true", "Restart=on-failure",
        "WantedBy=multi-user.target", "SystemCallFilter=@system-service");
    assertThat(printed).as("every placeholder filled").doesNotContainPattern("@[A-Z_]+@");
    assertThat(printed.lines().filter(l -> l.startsWith("systemctl")).toList())
        .containsExactly("systemctl daemon-reload", "systemctl enable ferry-agent.service");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "uninstall | systemctl disable --now ferry-agent.service;rm -f /etc/systemd/system/ferry-agent.service;systemctl daemon-reload",
      "start     | systemctl start ferry-agent.service",
      "stop      | systemctl stop ferry-agent.service",
      "status    | systemctl --no-pager status ferry-agent.service"})
  void theOtherActionsOnLinuxAreOneSystemctlCallEach(String action, String expected) {
    int code = run("agent", "service", action, "--dry-run", "--platform", "linux", "--home", HOME.toString(),
        "--config", dir.resolve("agent.properties").toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString().lines().skip(1).toList()).containsExactly(expected.split(";"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "install   | 'D:\\Ferry\\service\\FerryAgent.exe' install;sc.exe failureflag FerryAgent 1",
      "uninstall | 'D:\\Ferry\\service\\FerryAgent.exe' stop;'D:\\Ferry\\service\\FerryAgent.exe' uninstall",
      "start     | 'D:\\Ferry\\service\\FerryAgent.exe' start",
      "stop      | 'D:\\Ferry\\service\\FerryAgent.exe' stop",
      "status    | 'D:\\Ferry\\service\\FerryAgent.exe' status"})
  void onWindowsItDrivesTheWinswWrapperThatInstallPs1Placed(String action, String expected) {
    int code = run("agent", "service", action, "--dry-run", "--platform", "windows", "--data-dir", "D:\\Ferry\\");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString().lines().skip(1).toList()).containsExactly(expected.split(";"));
  }

  @Test
  void anotherPlatformThanThisHostsIsOnlyForDryRuns() {
    String other = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).startsWith("windows") ? "linux" : "windows";

    assertThat(run("agent", "service", "start", "--platform", other, "--home", HOME.toString())).isEqualTo(ExitCode.UNSUPPORTED);
    assertThat(err.toString()).contains("--dry-run");
  }

  @Test
  void withoutSystemdItSaysSoInsteadOfCallingSystemctl() {
    assumeTrue(OS.LINUX.isCurrentOs() && !Files.isDirectory(Path.of("/run/systemd/system")),
        "systemd runs on this host: the refusal cannot be seen here");

    assertThat(run("agent", "service", "install", "--home", HOME.toString(), "--unit-dir", dir.toString()))
        .isEqualTo(ExitCode.UNSUPPORTED);
    assertThat(err.toString()).contains("systemd is not running", "ferry agent run");
    assertThat(dir.resolve("ferry-agent.service")).doesNotExist();
  }

  @Test
  void withoutRootItSaysSoInsteadOfCallingSystemctl() {
    assumeTrue(OS.LINUX.isCurrentOs() && Files.isDirectory(Path.of("/run/systemd/system")) && !ServiceOptions.isLinuxRoot(),
        "needs a Linux host with systemd and a user other than root");

    assertThat(run("agent", "service", "install", "--home", HOME.toString(), "--unit-dir", dir.toString()))
        .isEqualTo(ExitCode.NOT_AUTHORIZED);
    assertThat(err.toString()).contains("needs root");
  }

  @Test
  void agentVersionNamesTheProtocolAndTheJcoInUse() throws Exception {
    assertThat(run("agent", "version", "--output", "json")).isZero();
    var json = io.ferry.protocol.Protocol.json().readTree(out.toString());
    assertThat(json.path("protocolVersion").asInt()).isEqualTo(io.ferry.protocol.Protocol.VERSION);
    assertThat(json.path("version").asText()).isNotBlank();
    assertThat(json.path("jco").asText()).isNotBlank();

    out.getBuffer().setLength(0);
    assertThat(run("agent", "version")).isZero();
    assertThat(out.toString()).startsWith("ferry agent ").contains("protocol:  " + io.ferry.protocol.Protocol.VERSION, "JCo:");
  }
}
