package io.ferry.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The completion script, loaded into a real bash and asked what follows a partial command line. */
class CompletionCommandTest {

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ferry ag                  | agent",
      "ferry agent serv          | service",
      "ferry agent service st    | start status stop",
      "ferry admin agents l      | list",
      "ferry agent service install --plat | --platform",
      // issue 15: the values of options with a fixed set of them
      "ferry demo --sap o                 | odata",
      "ferry relay serve --store p        | postgres",
      "ferry relay serve --dispatch s     | sqs",
      "ferry relay serve --log-format j   | json"})
  void bashCompletesCommandsAndOptions(String line, String expected) throws Exception {
    StringWriter out = new StringWriter();
    int code = FerryCommand.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
        .execute("completion", "bash");
    assertThat(code).isZero();
    Path script = Files.writeString(dir.resolve("ferry-completion.bash"), out.toString());

    String[] words = line.trim().split("\\s+");
    String compWords = String.join(" ", java.util.Arrays.stream(words).map(w -> "'" + w + "'").toList());
    String probe = "source '" + script + "'\n"
        + "COMP_WORDS=(" + compWords + "); COMP_CWORD=" + (words.length - 1) + "; COMP_LINE='" + line.trim() + "';"
        + " COMP_POINT=${#COMP_LINE}\n"
        + "_complete_ferry\n"
        + "printf '%s\\n' \"${COMPREPLY[@]}\" | sort | tr '\\n' ' '\n";
    // stderr left out: outside a real completion bash complains about compopt, which changes nothing here.
    Process bash = new ProcessBuilder("bash", "-c", probe).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String said = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(said).isEqualTo(expected);
  }
}
