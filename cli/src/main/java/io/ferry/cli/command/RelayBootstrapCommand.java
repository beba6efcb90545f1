package io.ferry.cli.command;

import io.ferry.cli.settings.Settings;
import io.ferry.relay.admin.RelayAdmin;
import io.ferry.relay.auth.Scope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bootstrap", mixinStandardHelpOptions = true,
    description = {"Create a tenant with an API key (every engine scope: customers and sales orders), its webhook secret,",
        "an admin key (scope admin, for `ferry admin …` on this tenant only) and an agent enrollment token in the",
        "relay's store. Works on the data directory directly, whether or not the relay is running. All are",
        "printed once; the relay keeps hashes of the keys and token and the secret encrypted."})
final class RelayBootstrapCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "The relay's data directory (relay.data-dir). Default: ~/.ferry/relay.")
  Path dataDir;

  @Option(names = "--tenant", required = true, description = "Name of the tenant to create (or reuse).")
  String tenant;

  @Option(names = "--group", defaultValue = "default", description = "Agent group the enrollment token is for. Default: ${DEFAULT-VALUE}.")
  String group;

  @picocli.CommandLine.Mixin StoreOptions storeOptions;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Logging.quiet();
    Settings settings = Settings.fromEnvironment(Roles.RELAY);
    Path dir = Path.of(settings.get("relay.data-dir", dataDir == null ? null : dataDir.toString(),
        Defaults.relayDataDir().toString()));
    try (RelayAdmin.Offline admin = RelayAdmin.open(dir, storeOptions.settings(settings))) {
      String tenantId = admin.createTenant(tenant);
      RelayAdmin.ApiKey apiKey = admin.createApiKey(tenantId);
      RelayAdmin.ApiKey adminKey = admin.createApiKey(tenantId, Set.of(Scope.ADMIN), null);
      String token = admin.createEnrollmentToken(tenantId, group, Duration.ofHours(1));
      var out = spec.commandLine().getOut();
      out.println("tenant:           " + tenantId);
      out.println("API key:          " + apiKey.key() + "   (shown once; engines send it as X-API-Key)");
      out.println("webhook secret:   " + apiKey.webhookSecret() + "   (shown once; verifies the callbacks of this key's requests)");
      out.println("admin key:        " + adminKey.key() + "   (shown once; FERRY_ADMIN_KEY for ferry admin, this tenant only)");
      out.println("enrollment token: " + token + "   (valid 1 hour, once: ferry agent enroll --relay URL --token ...)");
    }
    return ExitCode.OK;
  }
}
