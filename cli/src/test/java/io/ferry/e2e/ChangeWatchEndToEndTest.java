package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.changes.ChangeJournal;
import io.ferry.agent.changes.ChangeSettings;
import io.ferry.protocol.change.ChangeEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent started with {@code agent.changes.customers.enabled=true} watches SAP: a customer an engine creates
 * through the relay is found by the watcher and stored as a {@code customer.created} event in the agent's journal.
 * Until the relay offers the change route (built separately), its sender keeps the event there (the relay answers
 * 404 and the sender backs off): what this checks is the agent's side, not the delivery.
 */
class ChangeWatchEndToEndTest {

  @TempDir Path dir;
  private FerryStack stack;

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @ParameterizedTest
  @EnumSource(FerryStack.Sap.class)
  void aCustomerCreatedThroughTheRelayIsFoundByTheAgentsWatcher(FerryStack.Sap sap) throws Exception {
    stack = new FerryStack(dir, sap).withAgent(c -> c.withChanges(ChangeSettings.OFF.withCustomers(true)
        .withInterval(Duration.ofSeconds(5)))).start();
    Engine engine = new Engine(stack.url(), stack.apiKey());

    String number = engine.post("/v1/customers", CustomerLifecycleTest.CUSTOMER.formatted("W1", "DE", ""))
        .body().get("customerNumber").asText();

    List<ChangeEvent> found = List.of();
    try (ChangeJournal journal = new ChangeJournal(dir.resolve("agent"))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (found.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(200);
        found = journal.pending(10).stream().filter(e -> e.customerNumber().equals(number))
            .filter(e -> e.type().equals(ChangeEvent.CUSTOMER_CREATED)).toList();
      }
    }
    assertThat(found).as("the customer.created event of " + number).hasSize(1);
    assertThat(found.get(0).externalId()).isEqualTo("CRM-W1");
  }
}
