package io.ferry.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.ferry.cli.settings.Keys;
import io.ferry.cli.settings.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, "settings that cannot be mistyped": a misspelt key stops the start of every role with the nearest
 * valid key, a byte-order mark is not part of a key, durations are shown as written, and {@code ferry agent
 * config show} shows what is missing instead of stopping at it.
 */
class SettingsCannotBeMistypedTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return FerryCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  private Path file(String name, String... lines) throws Exception {
    return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
  }

  @Test
  void aMisspeltRelayKeyStopsTheRelayBeforeItStarts() throws Exception {
    Path config = file("relay.properties", "relay.data-dir=" + dir.resolve("relay"), "relay.prot=9090");

    assertThat(run("relay", "serve", "--config", config.toString())).isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("unknown setting relay.prot in the configuration file " + config
        + "; did you mean relay.port?");
  }

  @Test
  void theRelaySettingsTheReadmeListsAreReadNotIgnored() throws Exception {
    Path config = file("relay.properties", "relay.data-dir=" + dir.resolve("relay"), "relay.max-attempts=0");

    assertThat(run("relay", "serve", "--config", config.toString())).isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("relay.max-attempts must be between 1 and 100, was 0");
  }

  @Test
  void aMisspeltAgentKeyStopsEveryAgentCommand() throws Exception {
    Path config = file("agent.properties", "agent.relay-url=https://relay.example.com", "agent.wrkers=3");

    assertThat(run("agent", "run", "--config", config.toString(), "--data-dir", dir.toString()))
        .isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("unknown setting agent.wrkers in the configuration file " + config
        + "; did you mean agent.workers?");
    assertThat(run("agent", "config", "show", "--config", config.toString(), "--data-dir", dir.toString()))
        .isEqualTo(ExitCode.CONFIG);
  }

  @Test
  void aMisspeltPolicyOrSapKeyIsFoundToo() throws Exception {
    Path config = file("agent.properties", "agent.relay-url=https://relay.example.com", "policy.action=customer.read",
        "sap.jco.client.ashost=erp.example.local");

    assertThat(run("agent", "config", "show", "--config", config.toString(), "--data-dir", dir.toString()))
        .isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("unknown setting policy.action", "did you mean policy.actions?",
        "unknown setting sap.jco.client.ashost", "did you mean sap.jco.jco.client.ashost?");
  }

  @Test
  void aMisspeltODataServiceKeyAndAServiceThePolicyNamesButNobodyConfiguredStopTheAgent() throws Exception {
    Path typo = file("typo.properties", "agent.relay-url=https://relay.example.com", sap(),
        "sap.odata.services.API_BUSINESS_PARTNER.urll=https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER",
        "sap.odata.user=FERRY_ODATA", "sap.odata.password=Pw-2");

    assertThat(run("agent", "config", "show", "--config", typo.toString(), "--data-dir", dir.toString()))
        .isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("unknown setting sap.odata.services.API_BUSINESS_PARTNER.urll",
        "did you mean sap.odata.services.API_BUSINESS_PARTNER.url?");

    Path unconfigured = file("unconfigured.properties", "agent.relay-url=https://relay.example.com", sap(),
        "policy.odata.resources=API_BUSINESS_PARTNER/A_BusinessPartner:GET+POST");
    assertThat(run("agent", "config", "show", "--config", unconfigured.toString(), "--data-dir", dir.toString()))
        .isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("policy.odata.resources names service API_BUSINESS_PARTNER, but "
        + "sap.odata.services.API_BUSINESS_PARTNER.url is not set");

    Path configured = file("configured.properties", "agent.relay-url=https://relay.example.com", sap(),
        "policy.odata.resources=API_BUSINESS_PARTNER/A_BusinessPartner:GET+POST",
        "sap.odata.services.API_BUSINESS_PARTNER.url=https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER",
        "sap.odata.user=FERRY_ODATA", "sap.odata.password=Pw-2");
    assertThat(run("agent", "config", "show", "--config", configured.toString(), "--data-dir", dir.toString()))
        .as(err.toString()).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("policy.odata.resources=API_BUSINESS_PARTNER/A_BusinessPartner:GET+POST",
        "sap.odata.services.API_BUSINESS_PARTNER.url=https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER")
        .doesNotContain("Pw-2");
  }

  @Test
  void aMisspeltAdminKeyStopsTheAdminClient() throws Exception {
    Path config = file("admin.properties", "admin.relay=https://relay.example.com", "admin.kye=fk_x");

    assertThat(run("admin", "keys", "list", "--config", config.toString())).isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("unknown setting admin.kye", "did you mean admin.key?");
  }

  @Test
  void everyKeyOfTheShippedExampleFilesIsKnownToItsRole() throws Exception {
    Path conf = Path.of("..", "install", "conf");
    Map<String, Keys> roles = Map.of("relay.properties", Roles.RELAY, "agent.properties", Roles.AGENT,
        "admin.properties", Roles.ADMIN);
    Pattern setting = Pattern.compile("^#?([a-z][a-z0-9.-]*(?:\\.[A-Za-z0-9_/.-]+)?)=");
    for (var e : roles.entrySet()) {
      List<String> lines = Files.readAllLines(conf.resolve(e.getKey()));
      StringBuilder uncommented = new StringBuilder();
      int keys = 0;
      for (String line : lines) {
        Matcher m = setting.matcher(line);
        if (m.find() && e.getValue().owns(m.group(1))) {
          uncommented.append(line.startsWith("#") ? line.substring(1) : line).append('\n');
          keys++;
        }
      }
      Path all = Files.writeString(dir.resolve(e.getKey()), uncommented);
      assertThat(keys).as(e.getKey()).isPositive();
      Settings.load(all, Map.of(), e.getValue()); // throws on an unknown key
    }
  }

  @Test
  void aByteOrderMarkBeforeTheFirstKeyIsIgnored() throws Exception {
    byte[] text = ("agent.workers=7\r\nagent.relay-url=https://relay.example.com\r\n" + sap())
        .getBytes(StandardCharsets.UTF_8);
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
    Path config = dir.resolve("agent.properties");
    Files.write(config, bom);
    Files.write(config, text, java.nio.file.StandardOpenOption.APPEND);

    assertThat(run("agent", "config", "show", "--config", config.toString(), "--data-dir", dir.toString()))
        .as(err.toString()).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("agent.workers=7");
  }

  @Test
  void configShowEchoesDurationsAsWritten() throws Exception {
    Path config = file("agent.properties", "agent.relay-url=https://relay.example.com", "agent.shutdown-grace=1800s",
        "agent.poll-timeout=45s", "agent.sap-retry.max-backoff=PT20S", sap());

    assertThat(run("agent", "config", "show", "--config", config.toString(), "--data-dir", dir.toString()))
        .as(err.toString()).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("agent.shutdown-grace=1800s", "agent.poll-timeout=45s",
        "agent.sap-retry.max-backoff=PT20S", "agent.connect-timeout=10s", "agent.backoff-max=60s")
        .doesNotContain("PT10S", "PT1M");
  }

  @Test
  void configShowShowsAMissingSecretAsMissingAndHowToSetIt() throws Exception {
    Path config = file("agent.properties", "agent.relay-url=https://relay.example.com", "agent.workers=3",
        "sap.backend=bapi", "sap.destination=ERP", "sap.jco.jco.client.ashost=erp.example.local",
        "sap.jco.jco.client.client=100", "sap.jco.jco.client.user=FERRY_RFC",
        "sap.jco.jco.client.passwd=${secret:sap-password}");

    assertThat(run("agent", "config", "show", "--config", config.toString(), "--data-dir", dir.toString()))
        .isEqualTo(ExitCode.CONFIG);
    assertThat(out.toString()).as("the whole configuration is still shown")
        .contains("agent.relay-url=https://relay.example.com", "agent.workers=3", "policy.actions=",
            "sap.jco.jco.client.ashost=erp.example.local",
            "sap.jco.jco.client.passwd=(missing) (from ${secret:sap-password})");
    assertThat(err.toString()).contains("sap.jco.jco.client.passwd refers to ${secret:sap-password}",
        "ferry agent secrets set sap-password").doesNotContain("Exception");
  }

  @Test
  void configShowNamesTheSapPasswordWhenNoneIsSetAnywhere() throws Exception {
    assumeThat(System.getenv("FERRY_SAP_PASSWORD")).as("FERRY_SAP_PASSWORD is set in this environment").isNull();
    Path config = file("agent.properties", "agent.relay-url=https://relay.example.com", "sap.destination=ERP",
        "sap.jco.jco.client.ashost=erp.example.local", "sap.jco.jco.client.client=100", "sap.jco.jco.client.user=FERRY_RFC");

    assertThat(run("agent", "config", "show", "--config", config.toString(), "--data-dir", dir.toString()))
        .isEqualTo(ExitCode.CONFIG);
    assertThat(out.toString()).contains("agent.workers=4",
        "sap.jco.jco.client.passwd=(missing: set the environment variable FERRY_SAP_PASSWORD",
        "ferry agent secrets set sap-password");
    assertThat(err.toString()).contains("the SAP password is missing");
  }

  @Test
  void configShowStillShowsTheAgentSettingsWhenAMissingSecretStopsThem() throws Exception {
    Path config = file("agent.properties", "agent.relay-url=https://relay.example.com",
        "agent.proxy.url=http://proxy.example.local:3128", "agent.proxy.user=svc-ferry",
        "agent.proxy.password=${secret:proxy-password}", sap());

    assertThat(run("agent", "config", "show", "--config", config.toString(), "--data-dir", dir.toString()))
        .isEqualTo(ExitCode.CONFIG);
    assertThat(out.toString()).contains("agent.proxy.user=svc-ferry",
        "agent.proxy.password=(missing) (from ${secret:proxy-password})", "sap.destination=ERP");
    assertThat(err.toString()).contains("ferry agent secrets set proxy-password");
  }

  /** A complete BAPI configuration whose password is in the file, so only what a test adds is missing. */
  private static String sap() {
    return String.join("\n", "sap.destination=ERP", "sap.jco.jco.client.ashost=erp.example.local",
        "sap.jco.jco.client.client=100", "sap.jco.jco.client.user=FERRY_RFC", "sap.jco.jco.client.passwd=Sap-Pw-1", "");
  }
}
