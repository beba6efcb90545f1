package io.ferry.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as an operator meets it: usage, exit codes, messages that name the fix. */
class FerryCommandTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return FerryCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  @Test
  void withoutArgumentsItExplainsItself() {
    assertThat(run()).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("relay", "agent", "demo", "ferry demo");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    assertThat(run("deploy")).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("deploy");
  }

  @Test
  void aBadDurationNamesTheSettingAndTheExpectedForm() {
    assertThat(run("relay", "serve", "--data-dir", dir.toString(), "--sync-window", "5 minutes")).isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("relay.sync-window", "30s");
    assertThat(err.toString()).doesNotContain("\tat ");
  }

  @Test
  void anOutOfRangeSettingIsRefusedBeforeAnythingStarts() {
    assertThat(run("relay", "serve", "--data-dir", dir.toString(), "--port", "0", "--poll-hold", "200ms")).isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("relay.poll-hold");
  }

  @Test
  void anAgentThatIsNotEnrolledSaysHowToEnroll() {
    assertThat(run("agent", "run", "--data-dir", dir.toString())).isEqualTo(ExitCode.NOT_AUTHORIZED);
    assertThat(err.toString()).contains("ferry agent enroll");
  }

  @Test
  void aMissingConfigFileIsNamed() {
    assertThat(run("agent", "run", "--config", dir.resolve("nope.properties").toString())).isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("nope.properties");
  }

  @Test
  void bootstrapPrintsAKeyAndATokenOnce() {
    assertThat(run("relay", "bootstrap", "--data-dir", dir.toString(), "--tenant", "acme")).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).containsPattern("API key: +fk_\\S+").containsPattern("enrollment token: +fe_\\S+");
  }
}
