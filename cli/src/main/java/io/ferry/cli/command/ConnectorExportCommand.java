package io.ferry.cli.command;

import io.ferry.cli.connector.ConnectorHost;
import io.ferry.cli.connector.ConnectorPackage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Write a Power Automate custom-connector package for a relay: apiDefinition.swagger.json,",
        "apiProperties.json and icon.png. Import it with `paconn create --api-def apiDefinition.swagger.json",
        "--api-prop apiProperties.json --icon icon.png` or in the maker portal (Custom connectors, Import an",
        "OpenAPI file). Needs no running relay."})
final class ConnectorExportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--host", required = true, paramLabel = "HOST",
      description = "The relay's public host as engines reach it: relay.example.com (https) or a URL such as https://relay.example.com:8443.")
  String host;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the three files to (created if needed).")
  Path out;

  @Option(names = "--website", paramLabel = "URL", defaultValue = "https://ferry.dev",
      description = "The connector's website (x-ms-connector-metadata). Default: ${DEFAULT-VALUE}.")
  String website;

  @Option(names = "--privacy-policy", paramLabel = "URL", defaultValue = "https://ferry.dev/privacy",
      description = "The privacy policy of whoever runs the relay (x-ms-connector-metadata). Default: ${DEFAULT-VALUE}.")
  String privacyPolicy;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    ConnectorHost target;
    try {
      target = ConnectorHost.parse(host);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(ExitCode.CONFIG, e.getMessage());
    }
    List<Path> files = ConnectorPackage.write(target, website, privacyPolicy, out);
    PrintWriter o = spec.commandLine().getOut();
    o.println("Power Automate connector for " + target.scheme() + "://" + target.host()
        + (target.basePath().equals("/") ? "" : target.basePath()) + ":");
    files.forEach(f -> o.println("  " + f));
    o.println("Import: paconn create --api-def " + ConnectorPackage.API_DEFINITION + " --api-prop "
        + ConnectorPackage.API_PROPERTIES + " --icon " + ConnectorPackage.ICON);
    o.flush();
    return ExitCode.OK;
  }
}
