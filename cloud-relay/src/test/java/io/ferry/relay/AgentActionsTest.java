package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Action;
import io.ferry.protocol.PollRequest;
import io.ferry.protocol.PollResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay upgraded before its agents: an agent whose poll names no actions predates sales orders and could not read
 * their jobs, so it is handed none — neither from the queue nor as a parked poll — and the order waits for an agent
 * whose poll names it. Customers' jobs go to either.
 */
class AgentActionsTest {

  private static final String ORDER = """
      {"salesOrderType":"OR","salesArea":{"salesOrganization":"1000","distributionChannel":"10","division":"00"},
       "soldToParty":"100001","purchaseOrderByCustomer":"PO-1",
       "items":[{"material":"FERRY-100","requestedQuantity":2,"unit":"PC"}]}
      """;

  @TempDir
  static Path dataDir;
  static TestRelay relay;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c.withPollHold(Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void anOlderAgentIsHandedNoOrderAndANewerOneTakesIt() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent older = tenant.enrollAgent();
    FakeAgent newer = tenant.enrollAgent();
    older.pollNow(1); // online

    // Parked first: a job that arrives is handed to a waiting poll directly, unless its agent cannot read it.
    CompletableFuture<PollResponse> parked = older.pollAsync(5);
    Thread.sleep(200);
    Reply order = tenant.engine().post("/v1/sales-orders", ORDER, "Prefer", "respond-async");
    assertThat(order.status()).isEqualTo(202);
    tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");

    assertThat(parked.get(10, TimeUnit.SECONDS).jobs()).extracting(j -> j.action())
        .doesNotContain(Action.SALES_ORDER_CREATE);
    assertThat(older.pollNow(5).jobs()).extracting(j -> j.action()).doesNotContain(Action.SALES_ORDER_CREATE);
    assertThat(tenant.engine().get(order.header("Location")).json().get("status").asText()).isEqualTo("QUEUED");

    PollResponse taken = newer.pollNowNaming(5, PollRequest.knownActions());
    assertThat(taken.jobs()).extracting(j -> j.action()).contains(Action.SALES_ORDER_CREATE);
  }
}
