package io.ferry.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `ferry agent run` is parsed by that command alone, without the rest of the tree: the agent starts sooner. Whatever
 * it prints, and how it ends, is what the whole tree would print and end with.
 */
class AgentRunCommandLineTest {

  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(boolean alone, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter o = new PrintWriter(out, true);
    PrintWriter e = new PrintWriter(err, true);
    int code = (alone ? FerryCommand.commandLine(o, e, args) : FerryCommand.commandLine(o, e)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void aPlainRunIsParsedAloneAndHelpOrVersionByTheWholeTree() {
    assertThat(FerryCommand.isPlainAgentRun("agent", "run", "--config", "agent.properties", "-v")).isTrue();
    assertThat(FerryCommand.isPlainAgentRun("agent", "run", "--help")).isFalse();
    assertThat(FerryCommand.isPlainAgentRun("agent", "run", "-V")).isFalse();
    assertThat(FerryCommand.isPlainAgentRun("agent", "run", "-hv")).as("clustered short options").isFalse();
    assertThat(FerryCommand.isPlainAgentRun("agent", "enroll")).isFalse();
    assertThat(FerryCommand.isPlainAgentRun("relay", "serve")).isFalse();
    assertThat(FerryCommand.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        "agent", "run").getSubcommands()).containsOnlyKeys("agent");
  }

  @Test
  void mistakesInTheArgumentsAreReportedAsTheWholeTreeReportsThem() {
    for (String[] args : new String[][] {
        {"agent", "run", "--no-such-option"},
        {"agent", "run", "--workers", "many"},
        {"agent", "run", "surplus"},
        {"agent", "run", "--data-dir", dir.toString()}}) { // not enrolled: the command's own refusal
      Run alone = run(true, args);
      Run whole = run(false, args);
      assertThat(alone).as(String.join(" ", args)).isEqualTo(whole);
      assertThat(alone.code()).as(String.join(" ", args)).isNotZero();
      assertThat(alone.err()).as(String.join(" ", args)).isNotBlank();
    }
  }
}
