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

  private static final String SESSION = "01JC0000000000000000000001.1900000000.abcdefghijkl";

  @Test
  void aSessionMacVerifiesWithTheSessionsSecretOnlyAndNamesItsSession() throws Exception {
    byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    JobEnvelope signed = JobSignature.mac(secret, SESSION, job());
    JobEnvelope received = Protocol.json().readValue(Protocol.json().writeValueAsString(signed), JobEnvelope.class);

    assertThat(JobSignature.sessionOf(received)).contains(SESSION);
    assertThat(JobSignature.verifyMac(secret, received)).isTrue();
    assertThat(JobSignature.verifyMac("another secret of the same length!".getBytes(), received)).isFalse();
    assertThat(JobSignature.verifyMac(secret, new JobEnvelope(received.protocolVersion(), received.jobId(),
        received.action(), 2, received.leaseExpiresAt(), received.deadline(), received.customerNumber(), null,
        received.changes(), null, null, null, received.signature()))).isFalse();
    // The two forms are not interchangeable: a MAC is no ECDSA signature, and an ECDSA signature names no session.
    assertThat(JobSignature.verify(RELAY.getPublic(), received)).isFalse();
    JobEnvelope ecdsa = JobSignature.sign(RELAY.getPrivate(), job());
    assertThat(JobSignature.sessionOf(ecdsa)).isEmpty();
    assertThat(JobSignature.verifyMac(secret, ecdsa)).isFalse();
  }
}
