package io.ferry.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Linux scripts pass bash's own syntax check and, where it is installed, ShellCheck. */
class ShellScriptsTest {

  private static final List<String> SCRIPTS = List.of("linux/install.sh", "linux/uninstall.sh");

  @Test
  void bashParsesThem() throws Exception {
    for (String script : SCRIPTS) {
      Distribution.Result r = Distribution.run(Path.of("."), List.of("bash", "-n", script));
      assertThat(r.exit()).as(script + "\n" + r.out()).isZero();
    }
  }

  @Test
  void shellCheckFindsNothing() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/shellcheck")),
        "shellcheck is not installed on this host (apt-get install shellcheck): skipping the lint of the scripts");
    Distribution.Result r = Distribution.run(Path.of("."),
        List.of("/usr/bin/shellcheck", SCRIPTS.get(0), SCRIPTS.get(1)));
    assertThat(r.exit()).as(r.out()).isZero();
  }

  @Test
  void helpListsEveryFlagWithoutInstallingAnything() throws Exception {
    Distribution.Result r = Distribution.run(Path.of("."), List.of("bash", "linux/install.sh", "--help"));
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--role", "--prefix", "--user", "--root", "--relay-url", "--enrollment-token",
        "--sap-ashost", "--unattended", "--no-start");
  }
}
