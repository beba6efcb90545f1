package io.ferry.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ferry.agent.relay.RelayClient;
import io.ferry.protocol.Action;
import io.ferry.protocol.AgentToken;
import io.ferry.protocol.Customer;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.JobSignature;
import io.ferry.protocol.PollRequest;
import io.ferry.protocol.PollResponse;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.SalesArea;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent refuses jobs the pinned relay key did not sign exactly as they are, jobs past their deadline
 * and deliveries it has seen before — each attack performed, each refused before SAP is called.
 */
class SignedJobsTest {

  private static final KeyPair RELAY = AgentToken.newKeyPair();
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path dataDir;

  private static JobEnvelope job(String id, int attempt, Instant deadline, String salesOrg) {
    Customer customer = Customer.builder().name("Signed GmbH").country("DE")
        .salesArea(new SalesArea(salesOrg, "10", "00")).build();
    return new JobEnvelope(Protocol.VERSION, id, Action.CUSTOMER_CREATE, attempt, NOW.plusSeconds(60), deadline,
        null, customer, null, null, null, null);
  }

  private JobGate gate() throws Exception {
    return new JobGate(AgentPolicy.defaults(), RELAY.getPublic(), CLOCK, SeenJobs.open(dataDir));
  }

  private static String code(java.util.Optional<JobError> refusal) {
    return refusal.map(JobError::code).orElse("admitted");
  }

  @Test
  void aJobSignedByThePinnedRelayKeyIsAdmitted() throws Exception {
    JobEnvelope signed = JobSignature.sign(RELAY.getPrivate(), job("J1", 1, NOW.plusSeconds(600), "1000"));
    assertThat(gate().refusal(signed)).isEmpty();
  }

  @Test
  void anUnsignedJobIsRefused() throws Exception {
    assertThat(code(gate().refusal(job("J2", 1, NOW.plusSeconds(600), "1000")))).isEqualTo(JobGate.UNSIGNED);
  }

  @Test
  void anAlteredJobIsRefused() throws Exception {
    JobEnvelope signed = JobSignature.sign(RELAY.getPrivate(), job("J3", 1, NOW.plusSeconds(600), "1000"));
    JobEnvelope altered = job("J3", 1, NOW.plusSeconds(600), "2000").withSignature(signed.signature());
    JobError refused = gate().refusal(altered).orElseThrow();
    assertThat(refused.code()).isEqualTo(JobGate.SIGNATURE_MISMATCH);
    assertThat(refused.kind()).isEqualTo(JobError.Kind.FORBIDDEN);
    JobEnvelope laterDeadline = job("J3", 1, NOW.plusSeconds(6000), "1000").withSignature(signed.signature());
    assertThat(code(gate().refusal(laterDeadline))).isEqualTo(JobGate.SIGNATURE_MISMATCH);
  }

  @Test
  void aJobSignedByAnotherKeyIsRefused() throws Exception {
    JobEnvelope forged = JobSignature.sign(AgentToken.newKeyPair().getPrivate(), job("J4", 1, NOW.plusSeconds(600), "1000"));
    assertThat(code(gate().refusal(forged))).isEqualTo(JobGate.SIGNATURE_MISMATCH);
  }

  private static final String SESSION = "01JC0000000000000000000001.1900000000.abcdefghijkl";
  private static final byte[] SESSION_SECRET = "0123456789abcdef0123456789abcdef".getBytes(
      java.nio.charset.StandardCharsets.US_ASCII);

  private JobGate gateWithSession() throws Exception {
    return new JobGate(AgentPolicy.defaults(), RELAY.getPublic(), s -> s.equals(SESSION) ? SESSION_SECRET : null,
        CLOCK, SeenJobs.open(dataDir));
  }

  @Test
  void aJobSignedWithTheSecretOfTheAgentsSessionIsAdmitted() throws Exception {
    JobEnvelope signed = JobSignature.mac(SESSION_SECRET, SESSION, job("S1", 1, NOW.plusSeconds(600), "1000"));
    assertThat(gateWithSession().refusal(signed)).isEmpty();
  }

  @Test
  void aSessionSignedJobIsRefusedWhenAlteredOrOfASessionTheAgentDoesNotHold() throws Exception {
    JobEnvelope signed = JobSignature.mac(SESSION_SECRET, SESSION, job("S2", 1, NOW.plusSeconds(600), "1000"));
    JobEnvelope altered = job("S2", 1, NOW.plusSeconds(600), "2000").withSignature(signed.signature());
    assertThat(code(gateWithSession().refusal(altered))).isEqualTo(JobGate.SIGNATURE_MISMATCH);
    // An intruder who names another session (one it made up, with a secret of its own) gets nowhere.
    String otherSession = "01JC0000000000000000000001.1900000000.zzzzzzzzzzzz";
    JobEnvelope foreign = JobSignature.mac(SESSION_SECRET, otherSession, job("S3", 1, NOW.plusSeconds(600), "1000"));
    assertThat(code(gateWithSession().refusal(foreign))).isEqualTo(JobGate.SIGNATURE_MISMATCH);
    JobEnvelope guessed = JobSignature.mac("a secret of the intruder's own!!".getBytes(), SESSION,
        job("S4", 1, NOW.plusSeconds(600), "1000"));
    assertThat(code(gateWithSession().refusal(guessed))).isEqualTo(JobGate.SIGNATURE_MISMATCH);
  }

  @Test
  void anExpiredJobIsRefused() throws Exception {
    JobEnvelope late = JobSignature.sign(RELAY.getPrivate(), job("J5", 1, NOW.minusSeconds(1), "1000"));
    assertThat(code(gate().refusal(late))).isEqualTo(JobGate.EXPIRED);
  }

  @Test
  void aReplayedDeliveryIsRefusedAlsoAfterARestart() throws Exception {
    JobEnvelope signed = JobSignature.sign(RELAY.getPrivate(), job("J6", 1, NOW.plusSeconds(600), "1000"));
    assertThat(gate().refusal(signed)).isEmpty();
    assertThat(code(gate().refusal(signed))).isEqualTo(JobGate.REPLAYED); // a new gate reads the journal
    JobEnvelope nextAttempt = JobSignature.sign(RELAY.getPrivate(), job("J6", 2, NOW.plusSeconds(600), "1000"));
    assertThat(gate().refusal(nextAttempt)).isEmpty();
  }

  /**
   * SQS transport: SQS may deliver one attempt's message again (its receive count rises), and the relay may send
   * the job again as a new attempt whose first receive counts 1 again. Each is a new delivery; the same receive
   * of the same attempt presented twice is a replay.
   */
  @Test
  void sqsDeliveriesAreToldApartByAttemptAndReceiveCount() throws Exception {
    JobEnvelope first = JobSignature.sign(RELAY.getPrivate(), job("J8", 1, NOW.plusSeconds(600), "1000"));
    JobEnvelope second = JobSignature.sign(RELAY.getPrivate(), job("J8", 2, NOW.plusSeconds(600), "1000"));
    assertThat(gate().refusal(first, 1)).isEmpty();
    assertThat(gate().refusal(first, 2)).as("SQS delivered attempt 1 again").isEmpty();
    assertThat(gate().refusal(second, 1)).as("the relay sent attempt 2, received once").isEmpty();
    assertThat(code(gate().refusal(first, 2))).isEqualTo(JobGate.REPLAYED);
    assertThat(code(gate().refusal(second, 1))).isEqualTo(JobGate.REPLAYED);
    assertThat(code(gate().refusal(first))).as("the poll transport's key for attempt 1").isEqualTo(JobGate.REPLAYED);
  }

  /** A fake relay answers the agent's poll with a job it altered after signing; the gate refuses it. */
  @Test
  void aFakeRelayAnsweringWithAnAlteredJobIsRefused() throws Exception {
    JobEnvelope signed = JobSignature.sign(RELAY.getPrivate(), job("J7", 1, NOW.plusSeconds(600), "1000"));
    JobEnvelope altered = job("J7", 1, NOW.plusSeconds(600), "9999").withSignature(signed.signature());
    byte[] answer = Protocol.json().writeValueAsBytes(new PollResponse(Protocol.VERSION, List.of(altered)));
    HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    fake.createContext(Protocol.POLL_PATH, exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    fake.start();
    try (RelayClient client = new RelayClient(URI.create("http://127.0.0.1:" + fake.getAddress().getPort()),
        "fa_unused", Duration.ofSeconds(5), Duration.ofSeconds(5))) {
      PollResponse polled = client.poll(new PollRequest(Protocol.VERSION, 1, 0, "test", "bapi", 0, null));
      JobEnvelope received = polled.jobs().get(0);
      assertThat(received.customer().salesArea().salesOrganization()).isEqualTo("9999");
      assertThat(code(gate().refusal(received))).isEqualTo(JobGate.SIGNATURE_MISMATCH);
    } finally {
      fake.stop(0);
    }
    assertThat(new String(answer, StandardCharsets.UTF_8)).contains("\"signature\"");
  }
}
