package io.ferry.cli.command;

import io.ferry.agent.secrets.SecretStore;
import io.ferry.cli.settings.Settings;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "set", mixinStandardHelpOptions = true,
    description = {"Store a secret. The value is read from the console without echo, or from standard input",
        "(`printf %%s \"$PW\" | ferry agent secrets set sap-password`); never from the command line, where",
        "other users and the shell history would see it."})
final class AgentSecretsSetCommand implements Callable<Integer> {

  /** A secret longer than this is not a password; refusing it keeps a wrong pipe from filling the file. */
  private static final int MAX_BYTES = 64 * 1024;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The secret's name: letters, digits, '.', '_', '-'.")
  String name;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "The agent's data directory (agent.data-dir). Default: ~/.ferry/agent.")
  Path dataDir;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() throws IOException {
    if (!SecretStore.validName(name)) {
      throw new UserFacingException(ExitCode.USAGE, "'" + name + "' cannot name a secret: use letters, digits, '.', '_' "
          + "and '-' (up to 64 characters)");
    }
    SecretStore store = SecretStore.in(AgentSetup.dataDir(Settings.fromEnvironment(Roles.AGENT), dataDir));
    String value = read();
    if (value.isEmpty()) {
      throw new UserFacingException(ExitCode.USAGE, "no value given for secret " + name + "; nothing was stored");
    }
    boolean replaced = store.names().contains(name);
    store.put(name, value);
    spec.commandLine().getOut().println((replaced ? "Replaced" : "Stored") + " secret " + name + " in " + store.file()
        + "; refer to it as ${secret:" + name + "}");
    spec.commandLine().getOut().flush();
    return ExitCode.OK;
  }

  private String read() throws IOException {
    Console console = System.console();
    if (console != null) { // an interactive terminal (null when input is piped)
      char[] typed = console.readPassword("Value of secret %s (not shown): ", name);
      return typed == null ? "" : new String(typed);
    }
    InputStream in = System.in;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      bytes.write(buffer, 0, n);
      if (bytes.size() > MAX_BYTES) {
        throw new UserFacingException(ExitCode.USAGE, "the value of secret " + name + " is longer than " + MAX_BYTES
            + " bytes; nothing was stored");
      }
    }
    String value = bytes.toString(StandardCharsets.UTF_8);
    // `echo value |` adds one line break; the secret itself does not end in one.
    if (value.endsWith("\r\n")) {
      return value.substring(0, value.length() - 2);
    }
    return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
  }
}
