package io.ferry.cli.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  @TempDir Path dir;

  @Test
  void aFlagWinsOverTheEnvironmentWhichWinsOverTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.properties"), "agent.workers=2\nagent.data-dir=/from/file\nsap.jco.jco.client.user=U\n");
    Map<String, String> env = Map.of("FERRY_AGENT_WORKERS", "3");
    Settings s = Settings.load(file, env::get);

    assertThat(s.getInt("agent.workers", 5, 4)).isEqualTo(5);
    assertThat(s.getInt("agent.workers", null, 4)).isEqualTo(3);
    assertThat(s.get("agent.data-dir", null, "/default")).isEqualTo("/from/file");
    assertThat(s.get("agent.relay-url", null, "https://default")).isEqualTo("https://default");
    assertThat(s.section("sap.")).containsEntry("jco.jco.client.user", "U");
  }

  @Test
  void environmentNamesFollowTheKeys() {
    assertThat(Settings.envName("agent.relay-url")).isEqualTo("FERRY_AGENT_RELAY_URL");
  }

  @Test
  void durationsInBothNotations() {
    assertThat(Durations.parse("x", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("x", "10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Durations.parse("x", "PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> Durations.parse("relay.lease", "soon")).hasMessageContaining("relay.lease");
  }

  @Test
  void aNonNumberIsNamed() {
    Settings s = Settings.load(null, Map.of("FERRY_AGENT_WORKERS", "four")::get);
    assertThatThrownBy(() -> s.getInt("agent.workers", null, 4)).hasMessageContaining("agent.workers").hasMessageContaining("four");
  }

  /** A role like the agent: two namespaces, a family, and a variable read besides the settings. */
  private static final Keys ROLE = Keys.of("agent", List.of("agent.", "sap."),
      List.of("agent.workers", "agent.data-dir", "agent.poll-timeout", "agent.shutdown-grace", "sap.backend",
          "sap.destination"),
      List.of("sap.jco.jco.client.", "sap.reference-customer."), List.of("FERRY_SAP_PASSWORD"));

  @Test
  void aMisspeltKeyInTheFileStopsWithTheKeyTheFileAndTheNearestValidKey() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.properties"), "agent.wrkers=3\nsap.backend=bapi\n");

    assertThatThrownBy(() -> Settings.load(file, Map.of(), ROLE))
        .isInstanceOf(Settings.SettingsException.class)
        .hasMessage("unknown setting agent.wrkers in the configuration file " + file + "; did you mean agent.workers?");
  }

  @Test
  void aKeyFarFromEveryValidOneNamesTheNamespacesInstead() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.properties"), "agent.colour=blue\n");

    assertThatThrownBy(() -> Settings.load(file, Map.of(), ROLE))
        .hasMessageContaining("unknown setting agent.colour in the configuration file")
        .hasMessageContaining("none of the agent.*, sap.* settings of the agent");
  }

  @Test
  void everyUnknownKeyIsReportedAtOnce() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.properties"), "agent.wrkers=3\nsap.backnd=bapi\n");

    assertThatThrownBy(() -> Settings.load(file, Map.of(), ROLE))
        .hasMessageContaining("agent.wrkers").hasMessageContaining("did you mean agent.workers?")
        .hasMessageContaining("sap.backnd").hasMessageContaining("did you mean sap.backend?");
  }

  @Test
  void aFamilyTakesAnyLastPartAndAMisspeltFamilyIsFoundAgain() throws Exception {
    Path good = Files.writeString(dir.resolve("good.properties"),
        "sap.jco.jco.client.ashost=erp\nsap.reference-customer.1000/10/00=1000\n");
    assertThat(Settings.load(good, Map.of(), ROLE).section("sap.")).containsEntry("jco.jco.client.ashost", "erp");

    Path bad = Files.writeString(dir.resolve("bad.properties"), "sap.jco.client.ashost=erp\n");
    assertThatThrownBy(() -> Settings.load(bad, Map.of(), ROLE))
        .hasMessageContaining("unknown setting sap.jco.client.ashost").hasMessageContaining("did you mean sap.jco.jco.client.ashost?");
  }

  @Test
  void keysOfOtherNamespacesAreNotTheRolesBusiness() throws Exception {
    Path file = Files.writeString(dir.resolve("shared.properties"), "relay.port=8080\nadmin.relay=https://r\nagent.workers=2\n");

    assertThat(Settings.load(file, Map.of(), ROLE).getInt("agent.workers", null, 4)).isEqualTo(2);
  }

  @Test
  void aMisspeltEnvironmentVariableOfTheRolesNamespacesStopsWithTheNearestVariable() {
    assertThatThrownBy(() -> Settings.load(null, Map.of("FERRY_AGENT_WRKERS", "3"), ROLE))
        .hasMessage("unknown setting FERRY_AGENT_WRKERS in the environment; did you mean FERRY_AGENT_WORKERS (agent.workers)?");
    assertThatThrownBy(() -> Settings.load(null, Map.of("FERRY_AGENT_COLOUR", "blue"), ROLE))
        .as("a guess that shares only the namespace is no guess").hasMessageNotContaining("did you mean")
        .hasMessageContaining("none of the FERRY_AGENT_*, FERRY_SAP_* variables of the agent");
    assertThatThrownBy(() -> Settings.load(null, Map.of("FERRY_SAP_PASWORD", "x"), ROLE))
        .hasMessageContaining("did you mean FERRY_SAP_PASSWORD?");
    assertThatThrownBy(() -> Settings.load(null, Map.of("FERRY_SAP_JCO_JCO_CLIENT_ASHOST", "erp"), ROLE))
        .hasMessageContaining("the sap.jco.jco.client.* settings are read from the configuration file only")
        .hasMessageContaining("${env:FERRY_SAP_JCO_JCO_CLIENT_ASHOST}");
  }

  @Test
  void otherFerryVariablesAreLeftAlone() {
    Map<String, String> env = Map.of("FERRY_AGENT_WORKERS", "3", "FERRY_SAP_PASSWORD", "pw", "FERRY_TEST_PG_HOST", "db",
        "FERRY_BENCH_JAVA_OPTS", "-Xmx1g", "FERRY_JAVA_OPTS", "-Xmx1g", "FERRY_LOG_FORMAT", "json", "FERRY_RELAY_PORT", "1",
        "FERRY_HOME", "/opt/ferry", "PATH", "/bin");

    Settings s = Settings.load(null, env, ROLE);

    assertThat(s.getInt("agent.workers", null, 4)).isEqualTo(3);
  }

  @Test
  void theRolesOwnKeysUnderASectionMayComeFromTheEnvironment() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.properties"), "sap.backend=bapi\nsap.destination=ERP\n");

    Settings s = Settings.load(file, Map.of("FERRY_SAP_BACKEND", "odata"), ROLE);

    assertThat(s.section("sap.")).containsEntry("backend", "odata").containsEntry("destination", "ERP");
  }

  @Test
  void readingAKeyTheRoleDoesNotDeclareIsAProgrammingError() {
    Settings s = Settings.load(null, Map.of(), ROLE);

    assertThatThrownBy(() -> s.get("agent.relay-url", null, null)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("agent.relay-url");
    assertThat(s.get("relay.port", null, "8080")).as("another namespace").isEqualTo("8080");
  }

  @Test
  void aUtf8ByteOrderMarkIsNotPartOfTheFirstKey() throws Exception {
    // Windows PowerShell 5.1's Set-Content -Encoding UTF8 writes one.
    byte[] text = "agent.workers=7\r\nagent.data-dir=C:\\\\ProgramData\\\\Ferry\r\n".getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[text.length + 3];
    withBom[0] = (byte) 0xef;
    withBom[1] = (byte) 0xbb;
    withBom[2] = (byte) 0xbf;
    System.arraycopy(text, 0, withBom, 3, text.length);
    Path file = Files.write(dir.resolve("agent.properties"), withBom);

    Settings s = Settings.load(file, Map.of(), ROLE);

    assertThat(s.getInt("agent.workers", null, 4)).isEqualTo(7);
    assertThat(s.get("agent.data-dir", null, null)).isEqualTo("C:\\ProgramData\\Ferry");
  }

  @Test
  void aUtf16FileWithItsByteOrderMarkIsRead() throws Exception {
    // Windows PowerShell 5.1's Out-File and > write UTF-16LE with a byte-order mark.
    byte[] text = "agent.workers=5\n".getBytes(StandardCharsets.UTF_16LE);
    byte[] withBom = new byte[text.length + 2];
    withBom[0] = (byte) 0xff;
    withBom[1] = (byte) 0xfe;
    System.arraycopy(text, 0, withBom, 2, text.length);
    Path file = Files.write(dir.resolve("agent.properties"), withBom);

    assertThat(Settings.load(file, Map.of(), ROLE).getInt("agent.workers", null, 4)).isEqualTo(5);
  }

  @Test
  void aFileThatIsNotUtf8SaysSo() throws Exception {
    Path file = Files.write(dir.resolve("agent.properties"), "sap.destination=M\u00fcnchen\n".getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> Settings.load(file, Map.of(), ROLE))
        .isInstanceOf(Settings.SettingsException.class)
        .hasMessageContaining(file + " is not UTF-8 text");
  }

  @Test
  void durationsAreShownAsWrittenWhereverTheyWereWritten() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.properties"), "agent.shutdown-grace=1800s\n");
    Settings s = Settings.load(file, Map.of("FERRY_AGENT_POLL_TIMEOUT", "40000ms"), ROLE);

    List<String> shown = s.asWritten(List.of("agent.shutdown-grace=30m", "agent.poll-timeout=40s", "agent.workers=4",
        "agent.data-dir=/x"), Map.of());

    assertThat(shown).containsExactly("agent.shutdown-grace=1800s", "agent.poll-timeout=40000ms", "agent.workers=4",
        "agent.data-dir=/x");
  }

  @Test
  void leniently_aMissingSecretReadsAsEmptyAndIsListedWithHowToSetIt() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.properties"), "sap.destination=${secret:sap-dest}\n");
    Settings s = Settings.load(file, Map.of(), ROLE).withSecrets(name -> Optional.empty(), "/data/secrets.json");

    assertThatThrownBy(() -> s.section("sap.")).hasMessageContaining("ferry agent secrets set sap-dest");
    assertThat(s.lenient().section("sap.")).containsEntry("destination", "");
    assertThat(s.lenient().unresolved()).containsOnlyKeys("sap.destination")
        .hasEntrySatisfying("sap.destination", m -> assertThat(m).contains("ferry agent secrets set sap-dest"));
  }
}
