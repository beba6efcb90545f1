package io.ferry.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.ferry.agent.Agent;
import io.ferry.agent.AgentConfig;
import io.ferry.agent.AgentCredentials;
import io.ferry.cli.settings.Settings;
import io.ferry.relay.Relay;
import io.ferry.relay.config.RelayConfig;
import io.ferry.sapsim.SapSimulator;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The agent's secrets never leave it: a full round — secrets stored with the CLI, enrollment, config show,
 * create, update, a refusal by SAP, a logon failure while running and in test-sap — with distinctive secret
 * values, every log event at DEBUG (with exception traces, as text and as JSON lines) and every CLI output
 * scanned for each of them.
 */
class SecretsStayOutOfOutputTest {

  private static final String SAP_PASSWORD = "Sap-Pw-Zq81xV";
  private static final String PROXY_PASSWORD = "Proxy-Pw-Hw27kT";

  @TempDir Path dir;
  private final StringWriter cliOutput = new StringWriter();
  /** What the engine was answered: it must not carry the agent's secrets either. */
  private final List<String> answers = new ArrayList<>();

  private int ferry(String... args) {
    PrintWriter w = new PrintWriter(cliOutput, true);
    return FerryCommand.commandLine(w, w).execute(args);
  }

  private int ferryWithInput(String input, String... args) {
    InputStream stdin = System.in;
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    try {
      return ferry(args);
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void noSecretAppearsInLogsTracesOrCommandOutput() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level rootLevel = root.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    root.setLevel(Level.DEBUG);
    ((Logger) LoggerFactory.getLogger("io.ferry")).setLevel(Level.DEBUG);
    Path agentDir = dir.resolve("agent");
    String agentKey = null;
    try (Relay relay = Relay.start(RelayConfig.defaults(dir.resolve("relay")).withHost("127.0.0.1").withPort(0))) {
      String tenant = relay.admin().createTenant("secrets");
      String apiKey = relay.admin().createApiKey(tenant).key();
      String token = relay.admin().createEnrollmentToken(tenant, "default", Duration.ofHours(1));

      assertThat(ferryWithInput(SAP_PASSWORD + "\n", "agent", "secrets", "set", "sap-password", "--data-dir",
          agentDir.toString())).isEqualTo(ExitCode.OK);
      assertThat(ferryWithInput(PROXY_PASSWORD, "agent", "secrets", "set", "proxy-password", "--data-dir",
          agentDir.toString())).isEqualTo(ExitCode.OK);
      assertThat(ferry("agent", "secrets", "list", "--data-dir", agentDir.toString())).isEqualTo(ExitCode.OK);
      assertThat(cliOutput.toString()).contains("sap-password\nproxy-password\n".replace("sap-password\nproxy-password",
          "proxy-password\nsap-password"));

      Path config = Files.writeString(dir.resolve("agent.properties"), String.join("\n",
          "agent.data-dir=" + agentDir,
          "agent.proxy.url=http://proxy.corp.example:3128",
          "agent.proxy.user=svc-ferry",
          "agent.proxy.password=${secret:proxy-password}",
          "agent.proxy.bypass=127.0.0.1,localhost",
          "policy.sales-organizations=1000",
          "sap.backend=bapi", "sap.destination=SECRETS_TEST", "sap.jco.jco.client.ashost=sap-simulator.local",
          "sap.jco.jco.client.sysnr=00", "sap.jco.jco.client.client=100", "sap.jco.jco.client.user=FERRY",
          "sap.jco.jco.client.passwd=${secret:sap-password}", "sap.reference-customer.1000/10/00=1000", ""));

      assertThat(ferry("agent", "enroll", "--relay", relay.baseUrl().toString(), "--token", token, "--config",
          config.toString())).isEqualTo(ExitCode.OK);
      assertThat(ferry("agent", "config", "show", "--config", config.toString())).isEqualTo(ExitCode.OK);
      assertThat(cliOutput.toString()).contains("agent.proxy.password=****",
          "sap.jco.jco.client.passwd=**** (from ${secret:sap-password})");
      // The agent's private key (a line from the middle of its PEM body) must not show anywhere either.
      agentKey = Files.readAllLines(io.ferry.agent.AgentKeyFile.file(agentDir)).get(2);

      Settings s = AgentSetup.withSecrets(Settings.load(config, System::getenv), agentDir);
      AgentConfig cfg = AgentSetup.config(s, agentDir, null, null, AgentCredentials.load(agentDir).relayUrl(),
          System::getenv).withBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
      try (Agent agent = AgentSetup.start(s, cfg, AgentSetup.sap(s, System::getenv), java.util.Map.of())) {
        assertThat(agent.awaitConnected(Duration.ofSeconds(15))).isTrue();
        HttpClient http = HttpClient.newHttpClient();
        String created = call(http, relay.baseUrl(), apiKey, "POST", "/v1/customers", customer("S1", ""));
        String number = created.replaceAll("(?s).*\"customerNumber\"\\s*:\\s*\"(\\d+)\".*", "$1");
        call(http, relay.baseUrl(), apiKey, "PATCH", "/v1/customers/" + number, "{\"city\":\"Berlin\"}");
        // SAP refuses: a reference customer that does not exist.
        call(http, relay.baseUrl(), apiKey, "POST", "/v1/customers", customer("S2", ",\"referenceCustomer\":\"0099999999\""));
        // The agent's policy refuses.
        call(http, relay.baseUrl(), apiKey, "POST", "/v1/customers",
            customer("S3", "").replace("\"salesOrganization\":\"1000\"", "\"salesOrganization\":\"2000\""));
        // SAP refuses the logon while the agent runs.
        SapSimulator.instance().failNextCalls(1, 103);
        call(http, relay.baseUrl(), apiKey, "GET", "/v1/customers/" + number, null);
      }

      Path wrongLogon = Files.writeString(dir.resolve("wrong.properties"),
          Files.readString(config) + "sap.jco.jco.mock.passwd=Something-Else-1\n");
      assertThat(ferry("agent", "test-sap", "--config", wrongLogon.toString())).isEqualTo(ExitCode.FAILED);
      assertThat(cliOutput.toString()).contains("FAILED  logon");
    } finally {
      root.detachAppender(captured);
      root.setLevel(rootLevel);
      ((Logger) LoggerFactory.getLogger("io.ferry")).setLevel(Level.INFO);
    }

    List<String> output = new ArrayList<>();
    // The same events as `--log-format json` writes them: the JSON lines must hold no secret either.
    ch.qos.logback.classic.encoder.JsonEncoder json = Logging.jsonEncoder(root.getLoggerContext());
    for (ILoggingEvent e : captured.list) {
      output.add(e.getFormattedMessage());
      output.add(String.valueOf(e.getMDCPropertyMap()));
      if (e.getThrowableProxy() != null) {
        output.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
      }
      output.add(new String(json.encode(e), StandardCharsets.UTF_8));
    }
    assertThat(output).anyMatch(line -> line.startsWith("{") && line.contains("\"formattedMessage\""));
    output.add(cliOutput.toString());
    output.addAll(answers);
    assertThat(captured.list).hasSizeGreaterThan(50);
    assertThat(String.join("\n", output)).contains("FERRY-AGENT-0010", "FERRY-AGENT-0302", "FERRY-SAP-0001", "logon");
    for (String secret : List.of(SAP_PASSWORD, PROXY_PASSWORD, agentKey)) {
      assertThat(output).noneMatch(line -> line.contains(secret));
    }
  }

  private static String customer(String id, String extra) {
    return ("{\"externalId\":\"CRM-%s\",\"name\":\"Secret GmbH\",\"street\":\"Hauptstrasse\",\"houseNumber\":\"5\","
        + "\"postalCode\":\"69190\",\"city\":\"Walldorf\",\"country\":\"DE\",\"language\":\"de\",\"currency\":\"EUR\","
        + "\"salesArea\":{\"salesOrganization\":\"1000\",\"distributionChannel\":\"10\",\"division\":\"00\"}%s}")
        .formatted(id, extra);
  }

  private String call(HttpClient http, URI base, String apiKey, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("X-API-Key", apiKey)
        .header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    String answer = http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    answers.add(answer);
    return answer;
  }
}
