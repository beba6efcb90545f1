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
 * The attack: JSON that means one thing to one reader and another to the next — content after the value
 * ({@code {…}xyz}, {@code {A}{B}}) and members named twice — was accepted, the last duplicate silently
 * winning. Every JSON body of the engine, admin and agent APIs is now refused with 400 naming the problem.
 */
class StrictJsonTest {

  private static final String CUSTOMER = Fixtures.CUSTOMER_JSON.strip();

  @TempDir
  static Path dataDir;
  static TestRelay relay;
  static TestRelay.Tenant tenant;
  static Engine admin;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c);
    tenant = relay.tenant();
    admin = new Engine(relay.base(), relay.relay.admin().createApiKey(tenant.id(), Set.of(Scope.ADMIN), null).key());
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void aCustomerFollowedByAnythingIsRefused() {
    for (String body : new String[] {CUSTOMER + "xyz", CUSTOMER + CUSTOMER, CUSTOMER + " []", CUSTOMER + "\n{"}) {
      Reply reply = tenant.engine().post("/v1/customers", body);
      expectMalformed(reply, "trailing content after the JSON value");
    }
    Reply upsert = tenant.engine().put("/v1/customers/by-external-id/CRM-4711", CUSTOMER + "{}");
    expectMalformed(upsert, "trailing content after the JSON value");
    // Whitespace after the value is no content.
    assertThat(tenant.engine().post("/v1/customers", CUSTOMER + " \r\n\t").status()).isNotEqualTo(400);
  }

  @Test
  void aMemberNamedTwiceIsRefusedAndNamed() {
    String twice = CUSTOMER.replaceFirst("\\{", "{\"name\":\"Evil AG\",");
    expectMalformed(tenant.engine().post("/v1/customers", twice), "duplicate member 'name'");
    String nested = CUSTOMER.replace("\"division\":\"00\"", "\"division\":\"00\",\"division\":\"99\"");
    expectMalformed(tenant.engine().post("/v1/customers", nested), "duplicate member 'division'");
    expectMalformed(tenant.engine().patch("/v1/customers/0000100001", "{\"city\":\"A\",\"city\":\"B\"}",
        "application/merge-patch+json"), "duplicate member 'city'");
  }

  @Test
  void anAdminCannotBeMintedFromAConcatenatedOrDuplicatedKeyRequest() {
    int before = admin.get("/admin/v1/keys").json().path("keys").size();
    expectMalformed(admin.post("/admin/v1/keys", "{\"scopes\":[\"customers:read\"]}{\"scopes\":[\"admin\"]}"),
        "trailing content after the JSON value");
    expectMalformed(admin.post("/admin/v1/keys", "{\"scopes\":[\"customers:read\"],\"scopes\":[\"admin\"]}"),
        "duplicate member 'scopes'");
    expectMalformed(admin.post("/admin/v1/enrollment-tokens", "{\"group\":\"a\",\"group\":\"b\"}"),
        "duplicate member 'group'");
    assertThat(admin.get("/admin/v1/keys").json().path("keys").size()).as("keys made").isEqualTo(before);
  }

  @Test
  void agentMessagesAreParsedStrictlyToo() {
    String enroll = "{\"protocolVersion\":" + Protocol.VERSION + ",\"token\":\"" + tenant.enrollmentToken()
        + "\",\"agentName\":\"a\",\"hostname\":\"h\",\"agentVersion\":\"0.1.0\"}";
    expectMalformed(postRaw(Protocol.ENROLL_PATH, null, enroll + "{}"), "trailing content after the JSON value");
    expectMalformed(postRaw(Protocol.ENROLL_PATH, null, enroll.replace("\"agentName\":\"a\"",
        "\"agentName\":\"a\",\"agentName\":\"b\"")), "duplicate member 'agentName'");

    FakeAgent agent = tenant.enrollAgent();
    String poll = "{\"protocolVersion\":" + Protocol.VERSION + ",\"maxJobs\":1,\"holdSeconds\":0}";
    expectMalformed(postRaw(Protocol.POLL_PATH, agent.authorization("POST", Protocol.POLL_PATH), poll + "xyz"),
        "trailing content after the JSON value");
    expectMalformed(postRaw(Protocol.POLL_PATH, agent.authorization("POST", Protocol.POLL_PATH),
        poll.replace("\"maxJobs\":1", "\"maxJobs\":1,\"maxJobs\":50")), "duplicate member 'maxJobs'");
    assertThat(postRaw(Protocol.POLL_PATH, agent.authorization("POST", Protocol.POLL_PATH), poll).status())
        .isEqualTo(200);
  }

  @Test
  void aJsonBatchIsParsedStrictlyToo() {
    TestRelay.Tenant tenant = relay.tenant();
    // A batch is read only while an agent of the tenant is online.
    assertThat(tenant.enrollAgent().pollRaw(1).status()).isEqualTo(200);
    expectMalformed(tenant.engine().post("/v1/customer-batches?mode=insert", "[" + CUSTOMER + "]xyz"),
        "trailing content after the JSON value");
    String twice = CUSTOMER.replaceFirst("\\{", "{\"name\":\"Evil AG\",");
    expectMalformed(tenant.engine().post("/v1/customer-batches?mode=insert", "[" + twice + "]"),
        "duplicate member 'name'");
    // Elements one after another are the array, not trailing content.
    Reply two = tenant.engine().post("/v1/customer-batches?mode=insert", "[" + CUSTOMER + ",\n"
        + CUSTOMER.replace("CRM-4711", "CRM-4712") + "]\n");
    assertThat(two.status()).as(two.toString()).isEqualTo(202);
    assertThat(two.json().path("total").asInt()).isEqualTo(2);
  }

  private static void expectMalformed(Reply reply, String says) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
    Problem problem = reply.problem();
    assertThat(problem.code()).isEqualTo("FERRY-RELAY-0100");
    assertThat(problem.detail()).startsWith("the body is not valid JSON: " + says).doesNotContain("Jackson")
        .doesNotContain("DeserializationFeature");
  }

  private static Reply postRaw(String path, String authorization, String body) {
    Request.Builder b = new Request.Builder().url(relay.base() + path).post(Http.json(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return Http.send(b.build());
  }
}
