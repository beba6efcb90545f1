package io.ferry.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Pins the wire format: each golden file must read into its record and write back to the same JSON.
 * A failure here means a change an older agent or relay would misread; see {@link Protocol} on versioning.
 */
class GoldenWireFormatTest {

  private final ObjectMapper json = Protocol.json();

  @ParameterizedTest
  @CsvSource({
      "job-create.json, io.ferry.protocol.JobEnvelope",
      "job-update.json, io.ferry.protocol.JobEnvelope",
      "job-update-if-match.json, io.ferry.protocol.JobEnvelope",
      "result-precondition-failed.json, io.ferry.protocol.JobResult",
      "result-succeeded.json, io.ferry.protocol.JobResult",
      "result-succeeded-traced.json, io.ferry.protocol.JobResult",
      "result-failed.json, io.ferry.protocol.JobResult",
      "result-failed-retry-after.json, io.ferry.protocol.JobResult",
      "poll-request.json, io.ferry.protocol.PollRequest",
      "poll-request-unheld.json, io.ferry.protocol.PollRequest",
      "poll-response-empty.json, io.ferry.protocol.PollResponse",
      "lease-renewal.json, io.ferry.protocol.LeaseRenewal",
      "lease-renewal-in-flight.json, io.ferry.protocol.LeaseRenewal",
      "job-upsert.json, io.ferry.protocol.JobEnvelope",
      "result-upserted.json, io.ferry.protocol.JobResult",
      "job-salesorder-create.json, io.ferry.protocol.JobEnvelope",
      "poll-request-actions.json, io.ferry.protocol.PollRequest",
      "result-salesorder-created.json, io.ferry.protocol.JobResult",
      "job-search.json, io.ferry.protocol.JobEnvelope",
      "result-page.json, io.ferry.protocol.JobResult",
      "problem-sap.json, io.ferry.protocol.Problem",
      "enroll-request.json, io.ferry.protocol.EnrollRequest",
      "enroll-response.json, io.ferry.protocol.EnrollResponse",
      "agent-session.json, io.ferry.protocol.AgentSession",
  })
  void goldenFileRoundTripsUnchanged(String file, Class<?> type) throws IOException {
    JsonNode golden = read(file);
    Object record = json.treeToValue(golden, type);
    JsonNode written = json.valueToTree(record);
    assertThat(written).isEqualTo(golden);
  }

  @Test
  void createJobReadsIntoTheCustomerModel() throws IOException {
    JobEnvelope job = json.treeToValue(read("job-create.json"), JobEnvelope.class);
    assertThat(job.action()).isEqualTo(Action.CUSTOMER_CREATE);
    assertThat(job.deadline()).isEqualTo(Instant.parse("2026-11-21T10:24:30Z"));
    assertThat(job.customer().salesArea()).isEqualTo(new SalesArea("1000", "10", "00"));
    assertThat(job.customer().sapMessages()).isEmpty();
  }

  @Test
  void aSalesOrderJobCarriesTheOrderAsItsPayloadAndItsResultAsOutput() throws IOException {
    JobEnvelope job = json.treeToValue(read("job-salesorder-create.json"), JobEnvelope.class);
    assertThat(job.action()).isEqualTo(Action.SALES_ORDER_CREATE);
    assertThat(job.customer()).isNull();
    io.ferry.protocol.salesorder.SalesOrder order =
        json.treeToValue(job.payload(), io.ferry.protocol.salesorder.SalesOrder.class);
    assertThat(order.items()).singleElement().satisfies(i -> assertThat(i.material()).isEqualTo("FERRY-100"));
    assertThat(io.ferry.protocol.salesorder.SalesOrderRules.checkCreate(job.payload())).isEmpty();

    JobResult result = json.treeToValue(read("result-salesorder-created.json"), JobResult.class);
    assertThat(io.ferry.protocol.salesorder.SalesOrderRules.checkResult(result.output())).isEmpty();
    assertThat(result.output().path("netAmount").decimalValue()).isEqualByComparingTo("199.80");
  }

  @Test
  void anUpdateWithoutIfMatchStillReadsAndCarriesNone() throws IOException {
    JobEnvelope job = json.treeToValue(read("job-update.json"), JobEnvelope.class);
    assertThat(job.ifMatch()).isNull();
    JobEnvelope conditional = json.treeToValue(read("job-update-if-match.json"), JobEnvelope.class);
    assertThat(conditional.ifMatch()).isEqualTo("\"3f2a9c0d1e4b5a6f7c8d9e0f1a2b3c4d\"");
  }

  @Test
  void unknownFieldsFromANewerPeerAreIgnored() throws IOException {
    ObjectNode golden = (ObjectNode) read("job-create.json");
    golden.put("priority", "high");
    ((ObjectNode) golden.get("customer")).put("industry", "retail");
    JobEnvelope job = json.treeToValue(golden, JobEnvelope.class);
    assertThat(job.customer().name()).isEqualTo("Muster GmbH");
  }

  @Test
  void absentFieldsAreOmittedNeverNull() throws IOException {
    Customer c = Customer.builder().name("A").build();
    assertThat(json.writeValueAsString(c)).isEqualTo("{\"name\":\"A\"}");
  }

  @Test
  void enrollResponseNeverPrintsItsKey() {
    EnrollResponse r = new EnrollResponse(1, "agent-1", "tenant-1", "default", "fak_secret");
    assertThat(r.toString()).doesNotContain("fak_secret");
  }

  private JsonNode read(String file) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/golden/" + file)) {
      return json.readTree(in);
    }
  }
}
