package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent stopped gracefully (what SIGTERM and a service stop do) tells the relay it is leaving: right
 * after the stop, {@code /v1/connection} says no agent is online and a create is 503 no-agent-online — not
 * "online" and 202 QUEUED for relay.agent-offline-after (90 s).
 */
class AgentStopEndToEndTest {

  @TempDir
  Path dir;

  private static final String CUSTOMER = """
      {"externalId":"STOP-1","name":"Stop GmbH","street":"Hauptstrasse","houseNumber":"5",
       "postalCode":"69190","city":"Walldorf","country":"DE","language":"de","currency":"EUR",
       "salesArea":{"salesOrganization":"1000","distributionChannel":"10","division":"00"},
       "companyCode":"1000"}""";

  @Test
  void aStoppedAgentIsOfflineAtOnceAndCreatesAre503() throws Exception {
    try (FerryStack stack = new FerryStack(dir, FerryStack.Sap.BAPI)
        .withRelay(c -> c.withAgentOfflineAfter(Duration.ofSeconds(90))).start()) {
      Engine engine = new Engine(stack.url(), stack.apiKey());
      assertThat(engine.get("/v1/connection").body().get("agentOnline").asBoolean()).isTrue();

      stack.stopAgent();

      Engine.Answer connection = engine.get("/v1/connection");
      assertThat(connection.body().get("agentOnline").asBoolean()).isFalse();
      Engine.Answer create = engine.post("/v1/customers", CUSTOMER, "Prefer", "respond-async");
      assertThat(create.status()).isEqualTo(503);
      assertThat(create.body().get("code").asText()).isEqualTo("FERRY-RELAY-0301");

      // Started again, it is online at its first poll.
      stack.startAgent();
      assertThat(engine.get("/v1/connection").body().get("agentOnline").asBoolean()).isTrue();
    }
  }
}
