package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Problem;
import io.ferry.protocol.Protocol;
import io.ferry.relay.auth.Scope;
import java.nio.file.Path;
import java.util.Set;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack: times and durations at the edge of what Java can hold — {@code expiresAt} in the year
 * 999999 or a billion, huge validities and hold times — made the relay fail with 500 (ArithmeticException
 * on the way to the store) instead of refusing the input with its allowed range.
 */
class TimeInputRangeTest {

  @TempDir
  static Path dataDir;
  static TestRelay relay;
  static Engine admin;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c);
    TestRelay.Tenant tenant = relay.tenant();
    admin = new Engine(relay.base(), relay.relay.admin().createApiKey(tenant.id(), Set.of(Scope.ADMIN), null).key());
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void anExpiryBeyondFourDigitYearsIs422NamingExpiresAtAndItsRange() {
    int before = admin.get("/admin/v1/keys").json().path("keys").size();
    for (String expiresAt : new String[] {"\"+999999-01-01T00:00:00Z\"", "\"+1000000000-12-31T23:59:59.999999999Z\"",
        "\"-1000000000-01-01T00:00:00Z\"", "\"10000-01-01T00:00:00Z\"", "1e12", "1000000000000", "\"2001-01-01T00:00:00Z\""}) {
      Reply reply = admin.post("/admin/v1/keys", "{\"scopes\":[\"customers:read\"],\"expiresAt\":" + expiresAt + "}");
      assertThat(reply.status()).as(expiresAt + ": " + reply).isEqualTo(422);
      Problem problem = reply.problem();
      assertThat(problem.detail()).startsWith("expiresAt ").contains("9999-12-31T23:59:59Z");
      assertThat(problem.errors()).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("expiresAt"));
    }
    assertThat(admin.get("/admin/v1/keys").json().path("keys").size()).as("keys made").isEqualTo(before);
    Reply last = admin.post("/admin/v1/keys", "{\"scopes\":[\"customers:read\"],\"expiresAt\":\"9999-12-31T23:59:59Z\"}");
    assertThat(last.status()).as(last.toString()).isEqualTo(201);
    assertThat(last.json().path("expiresAt").asText()).isEqualTo("9999-12-31T23:59:59Z");
  }

  @Test
  void anAuditSinceBeyondFourDigitYearsIs400NamingSince() {
    for (String since : new String[] {"%2B1000000000-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
        "%2B999999-01-01T00:00:00Z"}) {
      Reply reply = admin.get("/admin/v1/audit?since=" + since);
      assertThat(reply.status()).as(since + ": " + reply).isEqualTo(400);
      assertThat(reply.problem().errors()).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("since"));
      assertThat(reply.problem().detail()).contains("9999-12-31T23:59:59Z");
    }
  }

  @Test
  void anEnrollmentTokenValidityOutOfRangeIs422() {
    for (String seconds : new String[] {"9223372036854775807", "9223372036854775808", "1e300", "1.5", "-1", "0"}) {
      Reply reply = admin.post("/admin/v1/enrollment-tokens", "{\"group\":\"default\",\"validForSeconds\":" + seconds + "}");
      assertThat(reply.status()).as(seconds + ": " + reply).isEqualTo(422);
      assertThat(reply.problem().detail()).contains("validForSeconds");
    }
  }

  @Test
  void anAgentsLongestHoldIsCappedAndOneBeyondAnIntegerRefused() {
    FakeAgent agent = relay.tenant().enrollAgent();
    Reply longest = poll(agent, String.valueOf(Integer.MAX_VALUE));
    assertThat(longest.status()).as(longest.toString()).isEqualTo(200);
    Reply beyond = poll(agent, "1000000000000");
    assertThat(beyond.status()).as(beyond.toString()).isEqualTo(400);
    assertThat(beyond.problem().detail()).contains("holdSeconds");
  }

  private static Reply poll(FakeAgent agent, String holdSeconds) {
    String body = "{\"protocolVersion\":" + Protocol.VERSION + ",\"maxJobs\":1,\"holdSeconds\":" + holdSeconds + "}";
    return Http.send(new Request.Builder().url(relay.base() + Protocol.POLL_PATH)
        .header("Authorization", agent.authorization("POST", Protocol.POLL_PATH))
        .post(Http.json(body)).build());
  }
}
