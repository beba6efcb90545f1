package io.ferry.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.agent.sap.resilience.BreakerState;
import io.ferry.agent.sap.resilience.BreakerStatus;
import io.ferry.agent.status.AgentStatus;
import io.ferry.agent.status.StatusFile;
import io.ferry.protocol.Protocol;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry agent status} reads the file a running agent writes; an old file means the agent is not running. */
class AgentStatusCommandTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return FerryCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  private void write(Instant writtenAt) throws Exception {
    StatusFile.write(dir, new AgentStatus("1.2.3", 4711, writtenAt,
        List.of(new BreakerStatus("bapi", BreakerState.OPEN, 5, writtenAt.plusSeconds(300))), 2,
        writtenAt.minusSeconds(3), 1));
  }

  @Test
  void aFreshStatusIsShownAsATable() throws Exception {
    write(Instant.now());

    assertThat(run("agent", "status", "--data-dir", dir.toString())).isEqualTo(ExitCode.OK);

    assertThat(out.toString()).contains("running (pid 4711, version 1.2.3", "jobs in flight:         2",
        "results to send:        1", "bapi", "OPEN", "in 29");
  }

  @Test
  void jsonCarriesEverythingTheAgentWrote() throws Exception {
    write(Instant.now());

    assertThat(run("agent", "status", "--data-dir", dir.toString(), "--output", "json")).isEqualTo(ExitCode.OK);

    JsonNode json = Protocol.json().readTree(out.toString());
    assertThat(json.get("running").asBoolean()).isTrue();
    assertThat(json.at("/status/breakers/0/state").asText()).isEqualTo("OPEN");
    assertThat(json.at("/status/inFlight").asInt()).isEqualTo(2);
    assertThat(json.at("/status/outboxPending").asInt()).isEqualTo(1);
  }

  @Test
  void settingsJobsNeededAndTheConfigurationLacksAreListed() throws Exception {
    Instant now = Instant.now();
    StatusFile.write(dir, new AgentStatus("1.2.3", 4711, now, List.of(new BreakerStatus("bapi", BreakerState.CLOSED, 0, null)),
        0, now, 0, List.of(new AgentStatus.MissingSetting("sap.reference-customer.2000/10/00", 3, now.minusSeconds(4)))));

    assertThat(run("agent", "status", "--data-dir", dir.toString())).isEqualTo(ExitCode.OK);

    assertThat(out.toString()).contains("MISSING SETTING", "sap.reference-customer.2000/10/00", "sap-configuration");
  }

  @Test
  void aStaleStatusMeansNotRunning() throws Exception {
    write(Instant.now().minus(StatusFile.STALE_AFTER).minusSeconds(5));

    assertThat(run("agent", "status", "--data-dir", dir.toString())).isEqualTo(ExitCode.FAILED);

    assertThat(out.toString()).contains("not running", "status last written");
  }

  @Test
  void noStatusFileMeansNotRunning() {
    assertThat(run("agent", "status", "--data-dir", dir.toString(), "-o", "json")).isEqualTo(ExitCode.FAILED);

    assertThat(out.toString()).contains("\"running\" : false");
  }
}
