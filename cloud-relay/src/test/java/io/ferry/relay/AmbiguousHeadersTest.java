package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Problem;
import io.ferry.protocol.Protocol;
import java.nio.file.Path;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack: headers that say who calls or what a write means, sent twice — the first silently won, so
 * a proxy and the relay could each act on another key, and a retry carrying only the second
 * Idempotency-Key created a second customer. Now 400 {@code ambiguous-header} naming the header.
 */
class AmbiguousHeadersTest {

  @TempDir
  static Path dataDir;
  static TestRelay relay;
  static TestRelay.Tenant a;
  static TestRelay.Tenant b;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c);
    a = relay.tenant();
    b = relay.tenant();
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void twoApiKeysAreRefusedWhicheverComesFirst() {
    String invalid = "fk_01HZZZZZZZZZZZZZZZZZZZZZZZ_notakey";
    expectAmbiguous(get("/v1/connection", "X-API-Key", a.apiKey(), "X-API-Key", invalid), "X-API-Key");
    expectAmbiguous(get("/v1/connection", "X-API-Key", invalid, "X-API-Key", a.apiKey()), "X-API-Key");
    expectAmbiguous(get("/v1/connection", "X-API-Key", a.apiKey(), "X-API-Key", b.apiKey()), "X-API-Key");
    expectAmbiguous(get("/v1/connection", "Authorization", "Bearer " + a.apiKey(), "Authorization",
        "Bearer " + b.apiKey()), "Authorization");
  }

  @Test
  void anApiKeyAndAnotherBearerKeyAreRefusedTheSameKeyTwiceIsNot() {
    expectAmbiguous(get("/v1/connection", "X-API-Key", a.apiKey(), "Authorization", "Bearer " + b.apiKey()),
        "Authorization");
    Reply same = get("/v1/connection", "X-API-Key", a.apiKey(), "Authorization", "Bearer " + a.apiKey());
    assertThat(same.status()).as(same.toString()).isEqualTo(200);
    assertThat(same.json().path("tenantId").asText()).isEqualTo(a.id());
  }

  @Test
  void twoIdempotencyKeysAreRefusedBeforeAnythingIsQueued() {
    Reply create = send("POST", "/v1/customers", Fixtures.CUSTOMER_JSON, "application/json",
        "X-API-Key", a.apiKey(), "Idempotency-Key", "first-key", "Idempotency-Key", "second-key");
    expectAmbiguous(create, "Idempotency-Key");
    Reply batch = send("POST", "/v1/customer-batches?mode=insert", "[" + Fixtures.CUSTOMER_JSON + "]",
        "application/json", "X-API-Key", a.apiKey(), "Idempotency-Key", "first-key", "Idempotency-Key", "second-key");
    expectAmbiguous(batch, "Idempotency-Key");
  }

  @Test
  void twoIfMatchHeadersAreRefused() {
    Reply patch = send("PATCH", "/v1/customers/0000100001", "{\"city\":\"Berlin\"}", "application/merge-patch+json",
        "X-API-Key", a.apiKey(), "If-Match", "\"v1\"", "If-Match", "\"v2\"");
    expectAmbiguous(patch, "If-Match");
  }

  @Test
  void anAgentsAuthorizationSentTwiceIsRefused() {
    FakeAgent agent = a.enrollAgent();
    String poll = "{\"protocolVersion\":" + Protocol.VERSION + ",\"maxJobs\":1,\"holdSeconds\":0}";
    Reply twice = send("POST", Protocol.POLL_PATH, poll, "application/json",
        "Authorization", agent.authorization("POST", Protocol.POLL_PATH), "Authorization", "Bearer fa_forged");
    expectAmbiguous(twice, "Authorization");
    Reply once = send("POST", Protocol.POLL_PATH, poll, "application/json",
        "Authorization", agent.authorization("POST", Protocol.POLL_PATH));
    assertThat(once.status()).as(once.toString()).isEqualTo(200);
  }

  private static void expectAmbiguous(Reply reply, String header) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
    Problem problem = reply.problem();
    assertThat(problem.code()).isEqualTo("FERRY-RELAY-0116");
    assertThat(problem.type()).endsWith("/ambiguous-header");
    assertThat(problem.detail()).startsWith(header + " ");
    assertThat(problem.errors()).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo(header));
  }

  private static Reply get(String path, String... headers) {
    return send("GET", path, null, null, headers);
  }

  /** Each header pair is its own field line, as a client or proxy that repeats a header sends it. */
  private static Reply send(String method, String path, String body, String contentType, String... headers) {
    Request.Builder r = new Request.Builder().url(relay.base() + path)
        .method(method, body == null ? null : RequestBody.create(body, okhttp3.MediaType.get(contentType)));
    for (int i = 0; i < headers.length; i += 2) {
      r.addHeader(headers[i], headers[i + 1]);
    }
    return Http.send(r.build());
  }
}
