package io.ferry.cli.service;

import java.nio.file.Path;
import java.util.List;

/** One thing a service action does on the host: write or delete a file, or run a program. */
public sealed interface Step {

  /** How the step reads in a dry run: a shell-like line an operator could run by hand. */
  String describe();

  /** Writes {@code content} to {@code file} (mode 0644 where the file system has modes). */
  record Write(Path file, String content) implements Step {
    @Override
    public String describe() {
      return "write " + file + ":\n" + content.stripTrailing().indent(4).stripTrailing();
    }
  }

  /** Deletes {@code file} if it exists. */
  record Delete(Path file) implements Step {
    @Override
    public String describe() {
      return "rm -f " + file;
    }
  }

  /**
   * Runs {@code command}. A step that {@code mayFail} (for example disabling a service that is not
   * there) does not stop the steps after it; one with a {@code requiredOutput} fails unless it prints it.
   */
  record Run(List<String> command, boolean mayFail, String requiredOutput) implements Step {
    public Run {
      command = List.copyOf(command);
    }

    static Run of(String... command) {
      return new Run(List.of(command), false, null);
    }

    static Run tolerant(String... command) {
      return new Run(List.of(command), true, null);
    }

    /** A run that counts as failed unless its output contains {@code text} (a status that exits 0 either way). */
    static Run expecting(String text, String... command) {
      return new Run(List.of(command), false, text);
    }

    @Override
    public String describe() {
      StringBuilder b = new StringBuilder();
      for (String arg : command) {
        if (!b.isEmpty()) {
          b.append(' ');
        }
        b.append(arg.isEmpty() || arg.matches(".*[\\s\"'$\\\\].*") && !arg.contains("'") ? "'" + arg + "'" : arg);
      }
      return b.toString();
    }
  }
}
