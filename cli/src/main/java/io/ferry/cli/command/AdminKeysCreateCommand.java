package io.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.cli.settings.Durations;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "create", mixinStandardHelpOptions = true,
    description = {"Create an API key of the admin key's tenant. The key and its webhook secret are printed once;",
        "the relay keeps only the key's hash."})
final class AdminKeysCreateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin AdminConnection connection;

  @Option(names = "--scope", split = ",", paramLabel = "SCOPE",
      defaultValue = "customers:read,customers:write,salesorders:read,salesorders:write,functions:call,odata:read,"
          + "odata:write,changes:read,subscriptions:write",
      description = "customers:read, customers:write, salesorders:read, salesorders:write, functions:call, odata:read, "
          + "odata:write, changes:read, subscriptions:write, admin; repeat or separate with ','. "
          + "Default: ${DEFAULT-VALUE}.")
  List<String> scopes;

  @Option(names = "--functions", split = ",", paramLabel = "FUNCTION",
      description = "Restrict the key to these function modules (RFC_READ_TABLE,BAPI_COMPANYCODE_GETLIST); the "
          + "agent's allowlist still applies. Default: any function the agent allows.")
  List<String> functions;

  @Option(names = "--odata-services", split = ",", paramLabel = "SERVICE",
      description = "Restrict the key to these OData services, as the agent names them (API_BUSINESS_PARTNER). "
          + "Default: any service the agent allows.")
  List<String> odataServices;

  @Option(names = "--expires-in", paramLabel = "DURATION",
      description = "The key stops working after this long (30d, 12h). Default: works until revoked.")
  String expiresIn;

  @Override
  public Integer call() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("scopes", scopes.stream().map(String::strip).toList());
    if (functions != null) {
      body.put("functions", functions.stream().map(String::strip).toList());
    }
    if (odataServices != null) {
      body.put("odataServices", odataServices.stream().map(String::strip).toList());
    }
    if (expiresIn != null) {
      body.put("expiresAt", Instant.now().plus(Durations.parse("--expires-in", expiresIn)).toString());
    }
    JsonNode key = connection.client().post("/admin/v1/keys", body);
    PrintWriter out = spec.commandLine().getOut();
    if (connection.output == AdminConnection.Output.json) {
      AdminOutput.json(out, key);
    } else {
      out.println("id:             " + key.path("id").asText());
      out.println("API key:        " + key.path("key").asText() + "   (shown once)");
      out.println("webhook secret: " + key.path("webhookSecret").asText() + "   (shown once)");
      out.println("scopes:         " + String.join(" ", scopesOf(key)));
      if (key.has("functions")) {
        out.println("functions:      " + String.join(" ", namesOf(key, "functions")));
      }
      if (key.has("odataServices")) {
        out.println("OData services: " + String.join(" ", namesOf(key, "odataServices")));
      }
      out.println("expires:        " + (key.path("expiresAt").isNull() ? "never" : AdminOutput.time(key.path("expiresAt").asText())));
    }
    return ExitCode.OK;
  }

  private static List<String> scopesOf(JsonNode key) {
    return namesOf(key, "scopes");
  }

  private static List<String> namesOf(JsonNode key, String member) {
    return java.util.stream.StreamSupport.stream(key.path(member).spliterator(), false).map(JsonNode::asText).toList();
  }
}
