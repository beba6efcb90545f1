package io.ferry.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Issue 15: {@code ferry agent service install --help} printed picocli WARN lines (a {@code %} in the text),
 * and descriptions written as several strings were shown cut mid-sentence. Walks the help of every command.
 */
class HelpTextTest {

  @Test
  void everyHelpPageIsFreeOfWarningsAndWrapsSentencesWhole() {
    List<List<String>> commands = new ArrayList<>();
    collect(FerryCommand.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())),
        new ArrayList<>(), commands);
    assertThat(commands).hasSizeGreaterThan(30);
    PrintStream stderr = System.err;
    ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
      for (List<String> command : commands) {
        StringWriter out = new StringWriter();
        List<String> args = new ArrayList<>(command);
        args.add("--help");
        int code = FerryCommand.commandLine(new PrintWriter(out, true), new PrintWriter(out, true))
            .execute(args.toArray(String[]::new));
        assertThat(code).as(String.join(" ", args)).isZero();
        assertCutNowhere(String.join(" ", args), out.toString());
      }
    } finally {
      System.setErr(stderr);
    }
    assertThat(picocliWarnings.toString(StandardCharsets.UTF_8)).doesNotContain("WARN");
  }

  @Test
  void theDemosBackendOptionReadsAsOneSentence() {
    StringWriter out = new StringWriter();
    FerryCommand.commandLine(new PrintWriter(out, true), new PrintWriter(out, true)).execute("demo", "--help");
    assertThat(out.toString().replaceAll("\\s+", " ")).contains("against Ferry's SAP simulator) or odata (S/4HANA's");
    assertThat(out.toString()).doesNotContain("simulator) or\n");
  }

  @Test
  void linesLaidOutWithSpacesKeepTheirOwnLines() {
    StringWriter out = new StringWriter();
    FerryCommand.commandLine(new PrintWriter(out, true), new PrintWriter(out, true)).execute("completion", "--help");
    assertThat(out.toString().lines()).anyMatch(l -> l.startsWith("bash:  source")).anyMatch(l -> l.startsWith("zsh:   source"));
  }

  private static void collect(CommandLine cl, List<String> path, List<List<String>> into) {
    into.add(path);
    cl.getSubcommands().forEach((name, sub) -> {
      if (sub.getParent() == cl && !name.equals("help")) {
        List<String> p = new ArrayList<>(path);
        p.add(name);
        collect(sub, p, into);
      }
    });
  }

  /**
   * A line of help that ends mid-sentence although the next word would have fitted on it was cut, not
   * wrapped: picocli fills each line up to 80 columns.
   */
  private static void assertCutNowhere(String command, String help) {
    String[] lines = help.split("\n");
    for (int i = 0; i + 1 < lines.length; i++) {
      String line = lines[i].stripTrailing();
      String next = lines[i + 1].strip();
      if (line.isEmpty() || next.isEmpty() || next.startsWith("-") || line.matches(".*[.:!?)]$")
          || lines[i + 1].startsWith("Usage") || line.startsWith("Usage") || lines[i].startsWith(" ") != lines[i + 1].startsWith(" ")) {
        continue;
      }
      if (next.contains("  ")) {
        continue; // the next line is laid out with spaces on purpose (a command and its comment)
      }
      if (line.strip().startsWith("-") && !line.strip().contains("  ")) {
        continue; // an option name too long for its column: picocli starts the description on the next line
      }
      String firstWord = next.split("\\s+")[0];
      assertThat(line.length() + 1 + firstWord.length()).as(command + ": line cut before \"" + firstWord + "\":\n" + line)
          .isGreaterThan(79); // picocli leaves the 80th column empty
    }
  }
}
