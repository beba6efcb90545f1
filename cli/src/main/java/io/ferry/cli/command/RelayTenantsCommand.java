package io.ferry.cli.command;

import io.ferry.cli.settings.Settings;
import io.ferry.relay.admin.RelayAdmin;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Tenants on the relay's host. Creating a tenant takes the relay operator's power, and no credential of
 * the admin API carries it (an admin key belongs to one tenant), so this works on the data directory
 * directly, like {@code ferry relay bootstrap}.
 */
@Command(name = "tenants", mixinStandardHelpOptions = true,
    description = {"Create and list tenants in the relay's store, on the relay's host (no admin key can: an admin key",
        "administers its own tenant only). Works whether or not the relay is running."},
    subcommands = {RelayTenantsCommand.Create.class, RelayTenantsCommand.List.class})
final class RelayTenantsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static Path dataDir(Path option) {
    return Path.of(Settings.fromEnvironment(Roles.RELAY).get("relay.data-dir", option == null ? null : option.toString(),
        Defaults.relayDataDir().toString()));
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a tenant (or print the id of the tenant of that name). Make its keys with ferry relay bootstrap.")
  static final class Create implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The relay's data directory (relay.data-dir). Default: ~/.ferry/relay.")
    Path dataDir;

    @Parameters(paramLabel = "NAME", description = "The tenant's name, 1 to 200 characters.")
    String name;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() {
      Logging.quiet();
      try (RelayAdmin.Offline admin = RelayAdmin.open(dataDir(dataDir))) {
        String id;
        try {
          id = admin.createTenant(name);
        } catch (IllegalArgumentException e) {
          throw new UserFacingException(ExitCode.USAGE, e.getMessage());
        }
        spec.commandLine().getOut().println("tenant " + name.strip() + ": " + id);
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List every tenant of the relay.")
  static final class List implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The relay's data directory (relay.data-dir). Default: ~/.ferry/relay.")
    Path dataDir;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() {
      Logging.quiet();
      try (RelayAdmin.Offline admin = RelayAdmin.open(dataDir(dataDir))) {
        PrintWriter out = spec.commandLine().getOut();
        var rows = io.ferry.protocol.Protocol.json().valueToTree(admin.tenants());
        AdminOutput.table(out, rows, "id", "name", "createdAt");
      }
      return ExitCode.OK;
    }
  }
}
