package io.ferry.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Protocol;
import io.ferry.relay.Relay;
import io.ferry.relay.config.RelayConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every admin command answers --output json with JSON and ends with an exit code a script can act on. */
class AdminOutputAndExitCodesTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Relay relay;
  private Path config;

  @BeforeEach
  void startRelayAndBootstrap() throws Exception {
    relay = Relay.start(RelayConfig.defaults(dir.resolve("relay")).withHost("127.0.0.1").withPort(0));
    assertThat(run("relay", "bootstrap", "--data-dir", dir.resolve("relay").toString(), "--tenant", "acme")).isZero();
    Matcher m = Pattern.compile("admin key: +(fk_\\S+)").matcher(out.toString());
    assertThat(m.find()).isTrue();
    config = Files.writeString(dir.resolve("admin.properties"),
        "admin.relay=" + relay.baseUrl() + "\nadmin.key=" + m.group(1) + "\n");
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return FerryCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  private JsonNode json() throws Exception {
    return Protocol.json().readTree(out.toString());
  }

  @Test
  void revokeAnswersJsonWhenAskedAndFailsForAnUnknownKey() throws Exception {
    assertThat(run("admin", "keys", "create", "--config", config.toString(), "--scope", "customers:read", "--output", "json"))
        .isZero();
    String id = json().path("id").asText();

    assertThat(run("admin", "keys", "revoke", "--config", config.toString(), id, "--output", "json")).isZero();
    assertThat(json().path("id").asText()).isEqualTo(id);

    assertThat(run("admin", "keys", "revoke", "--config", config.toString(), "01JC0000000000000000000000"))
        .isEqualTo(ExitCode.NOT_FOUND);
    assertThat(err.toString()).contains("404");
    assertThat(run("admin", "keys", "revoke", "--config", config.toString(), "not a key id"))
        .as("the relay refuses the malformed id: a usage error").isEqualTo(ExitCode.USAGE);
  }

  @Test
  void disablingAnAgentAnswersJsonWhenAsked() throws Exception {
    assertThat(run("admin", "agents", "enroll", "--config", config.toString(), "--output", "json")).isZero();
    String token = json().path("token").asText();
    assertThat(run("agent", "enroll", "--relay", relay.baseUrl().toString(), "--token", token, "--data-dir",
        dir.resolve("agent").toString())).as(err.toString()).isZero();
    assertThat(run("admin", "agents", "list", "--config", config.toString(), "--output", "json")).isZero();
    String id = json().path("agents").path(0).path("id").asText();

    assertThat(run("admin", "agents", "disable", "--config", config.toString(), id, "--output", "json")).isZero();
    assertThat(json().path("id").asText()).isEqualTo(id);

    assertThat(run("admin", "agents", "disable", "--config", config.toString(), "01JD4Y2W6N5K8Q1R3T7V9X0Z2B"))
        .as("an unknown agent").isEqualTo(ExitCode.NOT_FOUND);
    assertThat(err.toString()).contains("404");
  }

  @Test
  void listsAnswerJsonWhenAsked() throws Exception {
    assertThat(run("admin", "keys", "list", "--config", config.toString(), "--output", "json")).isZero();
    assertThat(json().path("keys").isArray()).isTrue();
    assertThat(run("admin", "agents", "list", "--config", config.toString(), "-o", "json")).isZero();
    assertThat(json().path("agents").isArray()).isTrue();
  }

  @Test
  void anUnreachableRelayFailsAndAWrongKeyIsNotAuthorized() throws Exception {
    Path wrongKey = Files.writeString(dir.resolve("wrong.properties"),
        "admin.relay=" + relay.baseUrl() + "\nadmin.key=fk_not_a_key\n");
    assertThat(run("admin", "keys", "list", "--config", wrongKey.toString())).isEqualTo(ExitCode.NOT_AUTHORIZED);

    Path closed = Files.writeString(dir.resolve("closed.properties"), "admin.relay=http://127.0.0.1:1\nadmin.key=fk_x\n");
    assertThat(run("admin", "keys", "list", "--config", closed.toString())).isEqualTo(ExitCode.FAILED);
    assertThat(err.toString()).contains("cannot connect");
  }

  @Test
  void theConfigFileComesFromTheFlagThenTheEnvironment() {
    AdminConnection c = new AdminConnection();
    c.config = config;
    assertThat(c.configFile(Map.of("FERRY_ADMIN_CONFIG", "/elsewhere.properties")::get)).isEqualTo(config);
    c.config = null;
    assertThat(c.configFile(Map.of("FERRY_ADMIN_CONFIG", "/elsewhere.properties")::get))
        .isEqualTo(Path.of("/elsewhere.properties"));
  }
}
