package io.ferry.cli.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steps really carried out on this host: files written and removed, programs run and their failures. */
class StepRunnerTest {

  private static final Path HOME = Path.of("..", "install").toAbsolutePath().normalize();

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StepRunner runner = new StepRunner(new PrintWriter(out, true));

  @Test
  void writesTheUnitReadableByAllAndRemovesIt() throws Exception {
    SystemdService service = new SystemdService(HOME, Path.of("/etc/ferry/agent.properties"), "ferry",
        Path.of("/var/lib/ferry/agent"), dir);
    ServicePlan install = new ServicePlan(List.of(service.plan(ServiceAction.INSTALL).steps().getFirst()), null);

    assertThat(runner.run(install)).isZero();
    assertThat(Files.readString(service.unitFile())).isEqualTo(service.unit());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(service.unitFile()))).isEqualTo("rw-r--r--");

    assertThat(runner.run(new ServicePlan(List.of(new Step.Delete(service.unitFile())), null))).isZero();
    assertThat(service.unitFile()).doesNotExist();
  }

  /** systemd's own check of the unit Ferry generates, with the source tree's bin/ferry as ExecStart. */
  @Test
  void systemdAnalyzeAcceptsTheGeneratedUnit() throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed on this host: skipping its check of the unit");
    SystemdService service = new SystemdService(HOME, dir.resolve("agent.properties"), "ferry", dir, dir);
    Path unit = Files.writeString(service.unitFile(), service.unit());

    Process p = new ProcessBuilder(analyze.toString(), "verify", unit.toString()).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(said).isZero();
    assertThat(said).as("warnings about the unit").doesNotContain("ferry-agent.service:");
  }

  @Test
  void stopsAtTheFirstFailingProgramWithItsExitCode() throws Exception {
    Path marker = dir.resolve("never");
    ServicePlan plan = new ServicePlan(List.of(
        Step.Run.of("sh", "-c", "echo first; exit 3"),
        Step.Run.of("touch", marker.toString())), null);

    assertThat(runner.run(plan)).isEqualTo(3);
    assertThat(out.toString()).contains("first");
    assertThat(marker).doesNotExist();
  }

  @Test
  void aToleratedFailureGoesOnAndAStatusWithoutItsWordFails() throws Exception {
    Path marker = dir.resolve("reached");
    assertThat(runner.run(new ServicePlan(List.of(
        Step.Run.tolerant("sh", "-c", "exit 5"),
        Step.Run.tolerant("/nonexistent/systemctl", "stop"),
        Step.Run.of("touch", marker.toString())), null))).isZero();
    assertThat(marker).exists();

    assertThat(runner.run(new ServicePlan(List.of(Step.Run.expecting("Started", "echo", "Stopped")), null))).isEqualTo(1);
    assertThat(runner.run(new ServicePlan(List.of(Step.Run.expecting("Started", "echo", "Started")), null))).isZero();
  }

  @Test
  void aDryRunLineQuotesWhatAShellWouldSplit() {
    assertThat(Step.Run.of("C:\\Ferry Data\\FerryAgent.exe", "install").describe())
        .isEqualTo("'C:\\Ferry Data\\FerryAgent.exe' install");
    assertThat(Step.Run.of("systemctl", "start", "ferry-agent.service").describe())
        .isEqualTo("systemctl start ferry-agent.service");
  }
}
