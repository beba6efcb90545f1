package io.ferry.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as an operator meets it: usage, exit codes, messages that name the fix. */
class FerryCommandTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return FerryCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  @Test
  void withoutArgumentsItExplainsItself() {
    assertThat(run()).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("relay", "agent", "demo", "ferry demo");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    assertThat(run("deploy")).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("deploy");
  }

  @Test
  void aBadDurationNamesTheSettingAndTheExpectedForm() {
    assertThat(run("relay", "serve", "--data-dir", dir.toString(), "--sync-window", "5 minutes")).isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("relay.sync-window", "30s");
    assertThat(err.toString()).doesNotContain("\tat ");
  }

  @Test
  void anOutOfRangeSettingIsRefusedBeforeAnythingStarts() {
    assertThat(run("relay", "serve", "--data-dir", dir.toString(), "--port", "0", "--poll-hold", "200ms")).isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("relay.poll-hold");
  }

  @Test
  void aPostgresStoreWithoutItsUrlOrWithAnotherDatabaseIsRefusedBeforeAnythingStarts() {
    assertThat(run("relay", "serve", "--data-dir", dir.toString(), "--port", "0", "--store", "postgres"))
        .isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("relay.jdbc-url is not set", "--jdbc-url jdbc:postgresql://");
    assertThat(run("relay", "serve", "--data-dir", dir.toString(), "--port", "0", "--store", "mysql"))
        .isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("relay.store must be sqlite");
  }

  /** Issue 15: Jetty's "IllegalStateException: STOPPED" was all a user saw, even with --verbose. */
  @Test
  void aBusyPortIsNamedWithTheFixForRelayServeAndDemo() throws Exception {
    try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = busy.getLocalPort();
      assertThat(run("relay", "serve", "--host", "127.0.0.1", "--port", Integer.toString(port),
          "--data-dir", dir.resolve("relay").toString())).isEqualTo(ExitCode.FAILED);
      assertThat(err.toString())
          .contains("port " + port + " on 127.0.0.1 is already in use \u2014 choose another with --port (relay.port)")
          .doesNotContain("STOPPED", "\tat ");
      err.getBuffer().setLength(0);

      assertThat(run("demo", "--port", Integer.toString(port), "--data-dir", dir.resolve("demo").toString()))
          .isEqualTo(ExitCode.FAILED);
      assertThat(err.toString()).contains("port " + port + " on 127.0.0.1 is already in use \u2014 choose another with --port")
          .doesNotContain("STOPPED", "\tat ");
      err.getBuffer().setLength(0);

      assertThat(run("demo", "--verbose", "--port", Integer.toString(port), "--data-dir", dir.resolve("demo").toString()))
          .isEqualTo(ExitCode.FAILED);
      assertThat(err.toString()).startsWith("ferry: port " + port + " on 127.0.0.1 is already in use").doesNotContain("STOPPED");
    }
  }

  @Test
  void anAgentThatIsNotEnrolledSaysHowToEnroll() {
    assertThat(run("agent", "run", "--data-dir", dir.toString())).isEqualTo(ExitCode.NOT_AUTHORIZED);
    assertThat(err.toString()).contains("ferry agent enroll");
  }

  @Test
  void aMissingConfigFileIsNamed() {
    assertThat(run("agent", "run", "--config", dir.resolve("nope.properties").toString())).isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("nope.properties");
  }

  private Path sapConfig(String extra) throws Exception {
    return java.nio.file.Files.writeString(dir.resolve("agent.properties"), String.join("\n",
        "sap.backend=bapi", "sap.destination=CLI_TEST", "sap.jco.jco.client.ashost=sap-simulator.local",
        "sap.jco.jco.client.sysnr=00", "sap.jco.jco.client.client=100", "sap.jco.jco.client.user=FERRY",
        "sap.jco.jco.client.passwd=cli-test-pw", extra, ""));
  }

  @Test
  void testSapReportsEachCheckAndSucceedsOnAHealthySystem() throws Exception {
    assertThat(run("agent", "test-sap", "--config", sapConfig("").toString())).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("ok      logon", "ok      function BAPI_CUSTOMER_CREATEFROMDATA1", "SAP is ready");
    assertThat(out.toString() + err).doesNotContain("cli-test-pw");
  }

  @Test
  void testSapChecksTheOrderFunctionsOnlyForAnAgentThatRunsOrders() throws Exception {
    assertThat(run("agent", "test-sap", "--config", sapConfig("").toString())).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).doesNotContain("BAPI_SALESORDER_CREATEFROMDAT2");
    out.getBuffer().setLength(0);

    assertThat(run("agent", "test-sap", "--config",
        sapConfig("policy.actions=customer.read,salesorder.create,salesorder.read").toString())).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("ok      function BAPI_SALESORDER_CREATEFROMDAT2",
        "ok      function BAPISDORDER_GETDETAILEDLIST", "ok      function BAPI_SALESORDER_GETLIST");
  }

  @Test
  void testSapTriesAChangeQueryOnlyForAnAgentThatWatchesChanges() throws Exception {
    assertThat(run("agent", "test-sap", "--config", sapConfig("").toString())).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).doesNotContain("change detection");
    out.getBuffer().setLength(0);

    assertThat(run("agent", "test-sap", "--config",
        sapConfig("agent.changes.customers.enabled=true").toString())).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("ok      change detection (agent.changes.customers.enabled)");
  }

  @Test
  void testSapNamesTheFailedStepAndWhatToDo() throws Exception {
    assertThat(run("agent", "test-sap", "--config", sapConfig("sap.jco.jco.mock.fail.103=1").toString())).isEqualTo(ExitCode.FAILED);
    assertThat(out.toString()).contains("FAILED  logon", "what to do:");
    assertThat(out.toString() + err).doesNotContain("cli-test-pw");
  }

  @Test
  void bootstrapPrintsAKeyAndATokenOnce() {
    assertThat(run("relay", "bootstrap", "--data-dir", dir.toString(), "--tenant", "acme")).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).containsPattern("API key: +fk_\\S+").containsPattern("enrollment token: +fe_\\S+");
  }

  @Test
  void anUnresolvableSecretReferenceNamesTheSettingAndTheCommandToFixIt() throws Exception {
    java.nio.file.Path config = java.nio.file.Files.writeString(dir.resolve("refs.properties"),
        "agent.relay-url=https://relay.example.com\nsap.backend=bapi\nsap.jco.jco.client.passwd=${secret:sap-password}\n");

    assertThat(run("agent", "config", "show", "--config", config.toString(), "--data-dir", dir.toString()))
        .isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("sap.jco.jco.client.passwd refers to ${secret:sap-password}",
        "ferry agent secrets set sap-password");
  }

  @Test
  void aPlainHttpRelayOnAnotherHostIsRefusedAtValidation() throws Exception {
    java.nio.file.Path config = sapConfig("agent.relay-url=http://relay.example.com");

    assertThat(run("agent", "config", "show", "--config", config.toString(), "--data-dir", dir.toString()))
        .isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("agent.allow-insecure-http=true");
    assertThat(run("agent", "config", "show", "--config", sapConfig("agent.relay-url=http://relay.example.com\n"
        + "agent.allow-insecure-http=true").toString(), "--data-dir", dir.toString())).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("agent.allow-insecure-http=true", "sap.jco.jco.client.passwd=****",
        "policy.actions=customer.create").doesNotContain("cli-test-pw");
  }
}
