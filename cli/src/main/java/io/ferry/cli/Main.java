package io.ferry.cli;

import io.ferry.cli.command.FerryCommand;
import java.io.PrintWriter;

/** Entry point of the {@code ferry} command. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(FerryCommand.commandLine(out, err, args).execute(args));
  }
}
