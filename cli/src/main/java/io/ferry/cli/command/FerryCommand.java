package io.ferry.cli.command;

import io.ferry.cli.settings.Settings.SettingsException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "ferry",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
        "Ferry connects cloud workflow engines to on-premises SAP without opening an inbound port.",
        "The relay runs in the cloud; the agent runs next to SAP and only calls out.",
        ""},
    subcommands = {RelayCommand.class, AgentCommand.class, AdminCommand.class, ConnectorCommand.class, DemoCommand.class,
        CompletionCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Start with `ferry demo` to see relay, agent and a simulated SAP work together."})
public final class FerryCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The one factory {@code main} and the tests use: same parsing, same error handling. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new FerryCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(FerryCommand::handle);
    HelpText.apply(cl);
    return cl;
  }

  /**
   * The command line for {@code args}: the whole tree, or, for a plain {@code ferry agent run}, that one command
   * under the same names. The agent starts at every service start, and the other sixty commands, each read by
   * picocli's reflection, cost it about 60 ms for nothing. Help, version and anything else go to the whole tree,
   * so what they print does not depend on this.
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err, String... args) {
    if (!isPlainAgentRun(args)) {
      return commandLine(out, err);
    }
    CommandLine root = new CommandLine(CommandSpec.wrapWithoutInspection(new FerryCommand()).name("ferry"));
    CommandLine agent = new CommandLine(CommandSpec.wrapWithoutInspection(new AgentCommand()).name("agent"));
    root.addSubcommand("agent", agent);
    agent.addSubcommand("run", new CommandLine(new AgentRunCommand()));
    root.setOut(out);
    root.setErr(err);
    root.setExecutionExceptionHandler(FerryCommand::handle);
    HelpText.apply(root);
    return root;
  }

  /** {@code agent run} with options of its own only: no help or version asked for. */
  static boolean isPlainAgentRun(String... args) {
    if (args.length < 2 || !args[0].equals("agent") || !args[1].equals("run")) {
      return false;
    }
    for (int i = 2; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version") || a.equals("help")
          || (a.startsWith("-") && !a.startsWith("--") && a.length() > 2)) { // clustered short options: let the tree judge
        return false;
      }
    }
    return true;
  }

  /** Prints a message a person can act on; the stack trace only with {@code --verbose}. */
  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    boolean verbose = parsed.originalArgs().contains("--verbose") || parsed.originalArgs().contains("-v");
    int code;
    if (e instanceof SettingsException || e instanceof IllegalArgumentException
        || e instanceof io.ferry.agent.secrets.SecretsException) {
      err.println("ferry: invalid configuration: " + e.getMessage());
      code = ExitCode.CONFIG;
    } else if (e instanceof UserFacingException u) {
      err.println("ferry: " + u.getMessage());
      code = u.exitCode();
    } else {
      err.println("ferry: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      code = ExitCode.FAILED;
    }
    if (verbose) {
      e.printStackTrace(err);
    } else if (code == ExitCode.FAILED) {
      err.println("(run again with --verbose for details)");
    }
    err.flush();
    return code;
  }
}
