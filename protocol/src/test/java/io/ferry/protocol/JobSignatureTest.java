package io.ferry.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobSignatureTest {

  private static final KeyPair RELAY = AgentToken.newKeyPair();

  private static JobEnvelope job() {
    var changes = Protocol.json().createObjectNode().put("city", "Berlin").put("name", "Acme");
    return new JobEnvelope(Protocol.VERSION, "01JC0000000000000000000000", Action.CUSTOMER_UPDATE, 1,
        Instant.parse("2030-01-01T00:01:00Z"), Instant.parse("2030-01-01T00:10:00Z"), "0000100001", null, changes,
        null, null, null);
  }

  @Test
  void aSignedJobVerifiesAlsoAfterTheWireRoundTrip() throws Exception {
    JobEnvelope signed = JobSignature.sign(RELAY.getPrivate(), job());
    JobEnvelope received = Protocol.json().readValue(Protocol.json().writeValueAsString(signed), JobEnvelope.class);
    assertThat(JobSignature.verify(RELAY.getPublic(), received)).isTrue();
  }

  @Test
  void anyChangedFieldBreaksTheSignature() {
    JobEnvelope signed = JobSignature.sign(RELAY.getPrivate(), job());
    var otherChanges = signed.changes().deepCopy().put("city", "Paris");
    assertThat(JobSignature.verify(RELAY.getPublic(), new JobEnvelope(signed.protocolVersion(), signed.jobId(),
        signed.action(), signed.attempt(), signed.leaseExpiresAt(), signed.deadline(), signed.customerNumber(), null,
        otherChanges, null, null, null, signed.signature()))).isFalse();
    assertThat(JobSignature.verify(RELAY.getPublic(), new JobEnvelope(signed.protocolVersion(), signed.jobId(),
        signed.action(), 2, signed.leaseExpiresAt(), signed.deadline(), signed.customerNumber(), null,
        signed.changes(), null, null, null, signed.signature()))).isFalse();
    // The trace context is signed too: a relay-side intruder cannot graft a job onto another trace.
    assertThat(JobSignature.verify(RELAY.getPublic(), new JobEnvelope(signed.protocolVersion(), signed.jobId(),
        signed.action(), signed.attempt(), signed.leaseExpiresAt(), signed.deadline(), signed.customerNumber(), null,
        signed.changes(), TraceParent.random().toString(), null, null, signed.signature()))).isFalse();
    assertThat(JobSignature.verify(AgentToken.newKeyPair().getPublic(), signed)).isFalse();
    assertThat(JobSignature.verify(RELAY.getPublic(), signed.withSignature(null))).isFalse();
  }
}
