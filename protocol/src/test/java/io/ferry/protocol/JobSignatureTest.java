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
        otherChanges, null, null, null, null, signed.signature()))).isFalse();
    assertThat(JobSignature.verify(RELAY.getPublic(), new JobEnvelope(signed.protocolVersion(), signed.jobId(),
        signed.action(), 2, signed.leaseExpiresAt(), signed.deadline(), signed.customerNumber(), null,
        signed.changes(), null, null, null, null, signed.signature()))).isFalse();
    // The trace context is signed too: a relay-side intruder cannot graft a job onto another trace.
    assertThat(JobSignature.verify(RELAY.getPublic(), new JobEnvelope(signed.protocolVersion(), signed.jobId(),
        signed.action(), signed.attempt(), signed.leaseExpiresAt(), signed.deadline(), signed.customerNumber(), null,
        signed.changes(), TraceParent.random().toString(), null, null, null, signed.signature()))).isFalse();
    assertThat(JobSignature.verify(AgentToken.newKeyPair().getPublic(), signed)).isFalse();
    assertThat(JobSignature.verify(RELAY.getPublic(), signed.withSignature(null))).isFalse();
  }

  /**
   * The signed bytes are the envelope's JSON with every object's keys sorted and no whitespace, as relays and agents
   * of every version build it: written in one pass now, they must equal the former construction (the envelope as a
   * tree, copied with sorted keys, written) byte for byte, or a relay and an agent of different versions stop
   * agreeing. Envelopes of every action, with nested objects, arrays, nulls, numbers and text outside ASCII.
   */
  @Test
  void theSignedBytesAreTheEnvelopesJsonWithSortedKeysAsBefore() throws Exception {
    var json = Protocol.json();
    Customer customer = json.readValue("""
        {"name":"Müller & Söhne GmbH","externalId":"CRM-1","country":"DE","city":"Köln","postalCode":"50667",
         "street":"Domkloster 4 \\"Nord\\"","companyCode":"1000","language":"de","email":"a@b.de",
         "salesArea":{"salesOrganization":"1000","distributionChannel":"10","division":"00"}}""", Customer.class);
    var changes = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
        "{\"zeta\":1,\"alpha\":{\"b\":[{\"y\":1,\"x\":2.5},[3,\"\\u00e9\"]],\"a\":\"\u00e9\\n\"},\"n\":null,\"Z\":true}");
    SearchQuery search = json.readValue("{\"text\":\"Mül*\",\"top\":5,\"cursor\":\"c1\"}", SearchQuery.class);
    Instant lease = Instant.parse("2030-01-01T00:01:00.123Z");
    Instant deadline = Instant.parse("2030-01-01T00:10:00Z");
    String trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    java.util.List<JobEnvelope> jobs = java.util.List.of(
        job(),
        new JobEnvelope(Protocol.VERSION, "01JC0000000000000000000002", Action.CUSTOMER_CREATE, 1, lease, deadline,
            null, customer, null, trace, null, null, null, "mac.s.x"),
        new JobEnvelope(Protocol.VERSION, "01JC0000000000000000000003", Action.CUSTOMER_UPDATE, 3, lease, deadline,
            "0000100001", null, changes, null, "W/\"1a\"", null),
        new JobEnvelope(Protocol.VERSION, "01JC0000000000000000000004", Action.CUSTOMER_UPSERT, 2, lease, null,
            null, customer, null, trace, null, null),
        new JobEnvelope(Protocol.VERSION, "01JC0000000000000000000005", Action.CUSTOMER_SEARCH, 1, null, deadline,
            null, null, null, null, null, search),
        new JobEnvelope(Protocol.VERSION, "01JC0000000000000000000006", Action.CUSTOMER_READ, 1, lease, deadline,
            "0000100001", null, json.createObjectNode(), null, null, null));
    for (JobEnvelope j : jobs) {
      JobEnvelope received = json.readValue(json.writeValueAsString(j), JobEnvelope.class);
      assertThat(new String(JobSignature.canonical(j), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(sortedTree(json.valueToTree(j.withSignature(null))).toString())
          .isEqualTo(new String(JobSignature.canonical(received), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** The former construction of the signed bytes. */
  private static com.fasterxml.jackson.databind.JsonNode sortedTree(com.fasterxml.jackson.databind.JsonNode node) {
    if (node.isObject()) {
      var out = Protocol.json().createObjectNode();
      java.util.List<String> names = new java.util.ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      java.util.Collections.sort(names);
      for (String name : names) {
        out.set(name, sortedTree(node.get(name)));
      }
      return out;
    }
    if (node.isArray()) {
      var out = Protocol.json().createArrayNode();
      node.forEach(e -> out.add(sortedTree(e)));
      return out;
    }
    return node;
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
        received.changes(), null, null, null, null, received.signature()))).isFalse();
    // The two forms are not interchangeable: a MAC is no ECDSA signature, and an ECDSA signature names no session.
    assertThat(JobSignature.verify(RELAY.getPublic(), received)).isFalse();
    JobEnvelope ecdsa = JobSignature.sign(RELAY.getPrivate(), job());
    assertThat(JobSignature.sessionOf(ecdsa)).isEmpty();
    assertThat(JobSignature.verifyMac(secret, ecdsa)).isFalse();
  }
}
