package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.JobEnvelope;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A forged (or broken) agent reports results that break the customer model: the relay does not store or serve
 * them, the job ends FAILED with 502 invalid-agent-result naming the fields, and the agent hears 422.
 */
class AgentResultModelTest {

  @TempDir
  Path dataDir;

  @Test
  void aCreatedCustomerWithASixtyThousandCharacterNameIsRefusedAndTheJobFails() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent forged = FakeAgent.enrollWithKeyPair(relay.base(), tenant.enrollmentToken());
      Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      JobEnvelope job = forged.takeOne();
      String huge = "A".repeat(60_000);
      Customer bogus = Fixtures.created(job.customer(), "0000100001").toBuilder().name(huge).build();

      Reply toAgent = forged.succeed(job, bogus);
      assertThat(toAgent.status()).isEqualTo(422);
      assertThat(toAgent.problem().code()).isEqualTo("FERRY-RELAY-0509");
      assertThat(toAgent.body()).contains("customer.name").doesNotContain(huge);
      // The same result again is answered the same, and changes nothing.
      assertThat(forged.succeed(job, bogus).status()).isEqualTo(422);

      Reply operation = tenant.engine().get("/v1/operations/" + accepted.json().get("id").asText());
      assertThat(operation.status()).isEqualTo(502);
      assertThat(operation.problem().code()).isEqualTo("FERRY-RELAY-0508");
      assertThat(operation.problem().type().toString()).endsWith("/invalid-agent-result");
      assertThat(operation.problem().detail()).contains("customer.name", "at most 35", "SAP may have done");
      assertThat(operation.body()).doesNotContain("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    }
  }

  @Test
  void aSearchPageWithACustomerOutsideTheModelIsRefused() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent forged = FakeAgent.enrollWithKeyPair(relay.base(), tenant.enrollmentToken());
      Reply accepted = tenant.engine().get("/v1/customers?search=Muster", "Prefer", "respond-async");
      JobEnvelope job = forged.takeOne();
      Customer fine = Fixtures.sample("0000100001");
      Customer bad = Fixtures.sample("<script>x</script>").toBuilder().city("W".repeat(36)).build();

      Reply toAgent = forged.found(job, new CustomerPage(List.of(fine, bad), null));
      assertThat(toAgent.status()).isEqualTo(422);
      assertThat(toAgent.problem().errors()).extracting(e -> e.field())
          .containsExactly("page.customers[1].city", "page.customers[1].customerNumber");

      Reply operation = tenant.engine().get("/v1/operations/" + accepted.json().get("id").asText());
      assertThat(operation.status()).isEqualTo(502);
      assertThat(operation.problem().code()).isEqualTo("FERRY-RELAY-0508");
    }
  }

  @Test
  void aCustomerWithinTheModelStillSucceeds() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), tenant.enrollmentToken());
      Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      JobEnvelope job = agent.takeOne();
      // SAP's own customers need not have what a create requires: a result without street or sales area is fine.
      Customer sparse = Customer.builder().customerNumber("100001").name("N".repeat(35)).country("XK").build();
      assertThat(agent.succeed(job, sparse).status()).isEqualTo(204);
      assertThat(tenant.engine().get("/v1/operations/" + accepted.json().get("id").asText()).status()).isEqualTo(201);
    }
  }
}
