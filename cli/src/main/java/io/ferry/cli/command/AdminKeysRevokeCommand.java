package io.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "revoke", mixinStandardHelpOptions = true,
    description = "Revoke an API key of the tenant at once. Its next request is refused (401).")
final class AdminKeysRevokeCommand implements Callable<Integer> {

  /** fk_<id>_<secret>: only the id leaves this process. */
  private static final Pattern KEY = Pattern.compile("fk_([0-9A-Z]{26})_.+");

  @Spec CommandSpec spec;
  @Mixin AdminConnection connection;

  @Parameters(paramLabel = "KEY_ID", description = "The key's id (from `ferry admin keys list`) or the key itself.")
  String key;

  @Override
  public Integer call() {
    Matcher m = KEY.matcher(key.strip());
    String id = m.matches() ? m.group(1) : key.strip();
    JsonNode answer = connection.client().delete("/admin/v1/keys/"
        + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8));
    AdminOutput.done(spec.commandLine().getOut(), connection.output, answer,
        java.util.Map.of("id", id, "revoked", true), "API key " + id + " revoked");
    return ExitCode.OK;
  }
}
