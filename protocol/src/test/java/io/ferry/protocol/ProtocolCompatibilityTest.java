package io.ferry.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Adjacent versions meet during a rolling upgrade: messages of earlier versions and of newer peers must
 * read into this version's records (golden/compat/README.md says how the files are kept).
 */
class ProtocolCompatibilityTest {

  private final ObjectMapper json = Protocol.json();

  /** Earlier messages read, nothing is invented for what they lack, and they write back unchanged. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "enroll-request-bearer-key.json, io.ferry.protocol.EnrollRequest",
      "enroll-response-before-signed-jobs.json, io.ferry.protocol.EnrollResponse",
      "poll-request-before-hold.json, io.ferry.protocol.PollRequest",
      "lease-renewal-before-in-flight.json, io.ferry.protocol.LeaseRenewal",
      "result-failed-before-retry-after.json, io.ferry.protocol.JobResult",
  })
  void aPreviousVersionsMessageStillReads(String file, Class<?> type) throws IOException {
    JsonNode previous = read("compat/previous/" + file);
    JsonNode written = json.valueToTree(json.treeToValue(previous, type));
    assertThat(written).isEqualTo(previous);
    assertThat(previous.path("protocolVersion").asInt()).isBetween(Math.max(1, Protocol.VERSION - 1), Protocol.VERSION);
  }

  @Test
  void whatEarlierPeersLeftOutReadsAsAbsent() throws IOException {
    EnrollRequest bearer = json.treeToValue(read("compat/previous/enroll-request-bearer-key.json"), EnrollRequest.class);
    assertThat(bearer.publicKey()).isNull();
    assertThat(bearer.agentVersion()).isEqualTo("0.0.9");
    EnrollResponse unsigned = json.treeToValue(read("compat/previous/enroll-response-before-signed-jobs.json"), EnrollResponse.class);
    assertThat(unsigned.relayPublicKey()).isNull();
    PollRequest poll = json.treeToValue(read("compat/previous/poll-request-before-hold.json"), PollRequest.class);
    assertThat(poll.holdSeconds()).isNull();
    assertThat(poll.runId()).isNull();
    LeaseRenewal renewal = json.treeToValue(read("compat/previous/lease-renewal-before-in-flight.json"), LeaseRenewal.class);
    assertThat(renewal.inFlight()).isNull();
    JobResult failed = json.treeToValue(read("compat/previous/result-failed-before-retry-after.json"), JobResult.class);
    assertThat(failed.error().retryAfterSeconds()).isNull();
  }

  /** A newer peer's extra fields, at any depth, are ignored: the message reads as the current golden file does. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "enroll-request.json, io.ferry.protocol.EnrollRequest",
      "enroll-response.json, io.ferry.protocol.EnrollResponse",
      "poll-request.json, io.ferry.protocol.PollRequest",
      "job-create.json, io.ferry.protocol.JobEnvelope",
      "lease-renewal.json, io.ferry.protocol.LeaseRenewal",
      "result-succeeded.json, io.ferry.protocol.JobResult",
      "result-failed-retry-after.json, io.ferry.protocol.JobResult",
  })
  void aNewerPeersMessageReadsAsTheCurrentOne(String file, Class<?> type) throws IOException {
    JsonNode newer = read("compat/newer/" + file);
    JsonNode current = read(file);
    assertThat(newer).as("the newer file adds fields").isNotEqualTo(current);

    JsonNode fromNewer = json.valueToTree(json.treeToValue(newer, type));
    JsonNode fromCurrent = json.valueToTree(json.treeToValue(current, type));
    assertThat(fromNewer).isEqualTo(fromCurrent).isEqualTo(current);
  }

  private JsonNode read(String file) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/golden/" + file)) {
      assertThat(in).as(file).isNotNull();
      return json.readTree(in);
    }
  }
}
