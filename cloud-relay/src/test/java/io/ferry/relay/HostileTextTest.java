package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Customer;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Problem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text an attacker or a careless export sends, over real HTTP as raw bytes: control characters, lone
 * surrogates (as JSON escapes and as raw UTF-8), invisible names and decomposed accents, in every place
 * customer text enters (create, upsert, update, search, JSON and CSV batches); XK as a country; and the
 * results CSV, which must not hand Excel a live formula. Whatever is refused never becomes a job: the agent
 * (and so SAP) sees nothing.
 */
class HostileTextTest {

  private static final String BATCHES = "/v1/customer-batches";
  private static final String CSV_HEADER = "externalId,name,street,postalCode,city,country,language,currency,"
      + "salesOrganization,distributionChannel,division";

  @TempDir
  static Path dataDir;
  static TestRelay relay;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c.withPollHold(java.time.Duration.ofSeconds(1)).withBatchParallelism(4));
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  /** Exactly these bytes as the body: no client-side encoding or escaping in between. */
  private static Reply send(TestRelay.Tenant tenant, String method, String path, byte[] body, String contentType) {
    Request.Builder b = new Request.Builder().url(relay.base() + path).header("X-API-Key", tenant.apiKey());
    RequestBody rb = body == null ? null : RequestBody.create(body, MediaType.get(contentType));
    return Http.send(b.method(method, rb).build());
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The fixture with {@code field}'s value replaced by {@code rawJsonValue}, as it appears between the quotes. */
  private static byte[] customerWith(String field, String rawJsonValue) {
    JsonNode fixture = jsonOf(Fixtures.CUSTOMER_JSON);
    String original = fixture.get(field).asText();
    return ascii(Fixtures.CUSTOMER_JSON.replace("\"" + field + "\":\"" + original + "\"",
        "\"" + field + "\":\"" + rawJsonValue + "\""));
  }

  private static JsonNode jsonOf(String s) {
    try {
      return io.ferry.protocol.Protocol.json().readTree(s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void assertRefusedNaming(Reply reply, String field, String messagePart) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(422);
    Problem p = reply.problem();
    assertThat(p.code()).isEqualTo("FERRY-RELAY-0101");
    assertThat(p.errors()).extracting(Problem.FieldError::field).containsExactly(field);
    assertThat(p.errors().get(0).message()).contains(messagePart);
    assertThat(p.detail()).startsWith(field + " ");
  }

  @Test
  void aCreateWithControlCharactersInItsTextIs422NamingTheFieldAndNothingReachesTheAgent() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    // JSON escapes: the only way a control character can be inside a JSON string.
    assertRefusedNaming(send(tenant, "POST", "/v1/customers", customerWith("name", "Muster\\u0000GmbH"),
        "application/json"), "name", "U+0000");
    assertRefusedNaming(send(tenant, "POST", "/v1/customers", customerWith("city", "Wall\\tdorf"),
        "application/json"), "city", "U+0009");
    assertRefusedNaming(send(tenant, "POST", "/v1/customers", customerWith("street", "Hauptstrasse\\r\\nBcc: x"),
        "application/json"), "street", "U+000D");
    assertRefusedNaming(send(tenant, "POST", "/v1/customers", customerWith("name", "\\u001b[2JMuster"),
        "application/json"), "name", "U+001B");
    assertRefusedNaming(send(tenant, "POST", "/v1/customers", customerWith("name", "Muster\\u0085GmbH"),
        "application/json"), "name", "U+0085");
    assertRefusedNaming(send(tenant, "POST", "/v1/customers", customerWith("houseNumber", "5\\u2028a"),
        "application/json"), "houseNumber", "U+2028");

    assertThat(agent.pollNow(10).jobs()).as("no job was queued, so SAP saw no call").isEmpty();
  }

  @Test
  void aLoneSurrogateIsRefusedNotTurnedIntoAQuestionMark() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    // As a JSON escape Jackson hands the lone UTF-16 unit on; the rules refuse it by name.
    Reply escaped = send(tenant, "POST", "/v1/customers", customerWith("name", "Muster\\ud800GmbH"), "application/json");
    assertRefusedNaming(escaped, "name", "unpaired surrogate U+D800");
    assertRefusedNaming(send(tenant, "POST", "/v1/customers", customerWith("city", "\\udfffWalldorf"),
        "application/json"), "city", "U+DFFF");
    // As raw bytes (ED A0 80, UTF-8's form of a surrogate, which is not UTF-8) the JSON parser refuses the body.
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    byte[] body = customerWith("name", "Muster@GmbH");
    for (byte b : body) {
      if (b == '@') {
        raw.writeBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
      } else {
        raw.write(b);
      }
    }
    Reply rawReply = send(tenant, "POST", "/v1/customers", raw.toByteArray(), "application/json");
    assertThat(rawReply.status()).as(rawReply.body()).isEqualTo(400);
    assertThat(rawReply.problem().code()).isEqualTo("FERRY-RELAY-0100");
    assertThat(rawReply.problem().detail()).contains("surrogate");

    assertThat(agent.pollNow(10).jobs()).isEmpty();
  }

  @Test
  void aNameOfInvisibleCharactersIsBlankAndDoesNotCountAsPresent() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    for (String invisible : List.of("\\u00a0", "\\u200b\\u200b\\u200b", "\\u2007\\u202f\\u3000", "\\ufeff\\u2060",
        "\\u3164")) {
      assertRefusedNaming(send(tenant, "POST", "/v1/customers", customerWith("name", invisible), "application/json"),
          "name", "must not be blank");
    }
    assertThat(agent.pollNow(10).jobs()).isEmpty();
  }

  @Test
  void anUpsertAnUpdateAndASearchFollowTheSameRules() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    assertRefusedNaming(send(tenant, "PUT", "/v1/customers/by-external-id/CRM-4711",
        customerWith("city", "Wall\\u0000dorf"), "application/json"), "city", "U+0000");
    byte[] withoutExternalId = ascii(Fixtures.CUSTOMER_JSON.replace("\"externalId\":\"CRM-4711\",", ""));
    assertRefusedNaming(send(tenant, "PUT", "/v1/customers/by-external-id/CRM%1B4711", withoutExternalId,
        "application/json"), "externalId", "U+001B");
    assertRefusedNaming(send(tenant, "PUT", "/v1/customers/by-external-id/%C2%A0", withoutExternalId,
        "application/json"), "externalId", "must not be blank");
    // A NUL in the path does not get past the HTTP server (Jetty answers 400, as a problem).
    Reply nul = send(tenant, "PUT", "/v1/customers/by-external-id/CRM%004711", withoutExternalId, "application/json");
    assertThat(nul.status()).isEqualTo(400);
    assertThat(nul.problem().code()).isEqualTo("FERRY-RELAY-0109");
    assertRefusedNaming(send(tenant, "PATCH", "/v1/customers/100001", ascii("{\"city\":\"Wall\\tdorf\"}"),
        "application/merge-patch+json"), "city", "U+0009");
    assertRefusedNaming(send(tenant, "PATCH", "/v1/customers/100001", ascii("{\"name\":\"\\u00a0\"}"),
        "application/merge-patch+json"), "name", "must not be blank");
    assertRefusedNaming(send(tenant, "PATCH", "/v1/customers/100001", ascii("{\"name\":\"A\\ud800\"}"),
        "application/merge-patch+json"), "name", "U+D800");
    Reply search = send(tenant, "GET", "/v1/customers?search=Mu%1Bster", null, null);
    assertRefusedNaming(search, "search", "U+001B");

    assertThat(agent.pollNow(10).jobs()).isEmpty();
  }

  @Test
  void decomposedTextIsMeasuredAndSentInNfc() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    // 35 characters in NFC, 45 as sent: "u" plus a combining diaeresis (as JSON escapes) for each "ü".
    String sent = "M\\u0075\\u0308ller".repeat(5) + "\\u0075\\u0308".repeat(5);
    String nfc = "M\u00fcller".repeat(5) + "\u00fc".repeat(5);
    assertThat(nfc).hasSize(35);

    CompletableFuture<Reply> pending = Http.async(() -> send(tenant, "POST", "/v1/customers",
        customerWith("name", sent), "application/json"));
    JobEnvelope job = agent.takeOne();
    assertThat(job.customer().name()).isEqualTo(nfc);
    assertThat(agent.succeed(job, Fixtures.created(job.customer(), "0000100001")).status()).isEqualTo(204);
    Reply created = pending.get(15, TimeUnit.SECONDS);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.as(Customer.class).name()).isEqualTo(nfc);

    Reply listed = Http.async(() -> send(tenant, "GET", "/v1/customers?search=M%C3%BCller", null, null))
        .thenCombine(Http.async(() -> {
          JobEnvelope search = agent.takeOne();
          assertThat(search.search().text()).isEqualTo("M\u00fcller");
          agent.found(search, new io.ferry.protocol.CustomerPage(List.of(), null));
          return search;
        }), (reply, search) -> reply).get(30, TimeUnit.SECONDS);
    assertThat(listed.status()).as(listed.body()).isEqualTo(200);
  }

  @Test
  void kosovoIsACountryAndTheRefusalOfAnotherSaysWhereTheListComesFrom() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    Reply refused = send(tenant, "POST", "/v1/customers", customerWith("country", "XI"), "application/json");
    assertRefusedNaming(refused, "country", "ISO 3166-1");
    assertThat(refused.problem().detail()).contains("Java runtime").contains("XK (Kosovo");

    CompletableFuture<Reply> pending = Http.async(() -> send(tenant, "POST", "/v1/customers",
        customerWith("country", "XK"), "application/json"));
    JobEnvelope job = agent.takeOne();
    assertThat(job.customer().country()).isEqualTo("XK");
    agent.succeed(job, Fixtures.created(job.customer(), "0000100002"));
    Reply created = pending.get(15, TimeUnit.SECONDS);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().get("country").asText()).isEqualTo("XK");
  }

  @Test
  void aCsvBatchWithControlCharactersGetsAnErrorForEachSuchRecordNamingTheField() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    String good = ",Hauptstrasse,69190,Walldorf,DE,de,EUR,1000,10,00\r\n";
    String body = CSV_HEADER + "\r\n"
        + "CRM-1,Muster GmbH" + good
        + "CRM-2,\"Muster\tGmbH\"" + good
        + "CRM-3,\"Muster\r\nGmbH\"" + good
        + "CRM-4,Muster\u0000GmbH" + good
        + "CRM-5,\u001b[31mMuster" + good
        + "CRM-6,\u00a0\u200b" + good
        + "CRM-7,Mu\u0308ller GmbH" + good
        + "CRM-8,Kosovo Sh.p.k.,Rruga,10000,Prishtin\u00eb,XK,sq,EUR,1000,10,00\r\n";

    Reply accepted = send(tenant, "POST", BATCHES + "?mode=insert", body.getBytes(StandardCharsets.UTF_8), "text/csv");

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    assertThat(accepted.json().get("total").asInt()).isEqualTo(8);
    assertThat(accepted.json().get("failed").asInt()).isEqualTo(5);
    List<JsonNode> failed = new ArrayList<>();
    tenantResults(tenant, accepted.header("Location") + "/results?outcome=FAILED").forEach(failed::add);
    assertThat(failed).extracting(r -> r.get("externalId").asText())
        .containsExactly("CRM-2", "CRM-3", "CRM-4", "CRM-5", "CRM-6");
    for (JsonNode r : failed) {
      Problem p = io.ferry.protocol.Protocol.json().convertValue(r.get("problem"), Problem.class);
      assertThat(p.status()).isEqualTo(422);
      assertThat(p.errors()).extracting(Problem.FieldError::field).containsExactly("name");
    }
    List<JobEnvelope> jobs = new ArrayList<>(agent.pollNow(10).jobs());
    jobs.sort(Comparator.comparing(j -> j.customer().externalId()));
    assertThat(jobs).extracting(j -> j.customer().externalId()).containsExactly("CRM-1", "CRM-7", "CRM-8");
    assertThat(jobs.get(1).customer().name()).isEqualTo("M\u00fcller GmbH");
    assertThat(jobs.get(2).customer().country()).isEqualTo("XK");
  }

  @Test
  void aJsonBatchWithEscapedControlsAndSurrogatesGetsAnErrorForEachSuchRecord() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    String record = Fixtures.CUSTOMER_JSON;
    String body = "[" + record.replace("CRM-4711", "CRM-1") + ","
        + record.replace("CRM-4711", "CRM-2").replace("Muster GmbH", "Muster\\u0000GmbH") + ","
        + record.replace("CRM-4711", "CRM-3").replace("Walldorf", "Wall\\ud800dorf") + "]";

    Reply accepted = send(tenant, "POST", BATCHES + "?mode=insert", ascii(body), "application/json");

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    assertThat(accepted.json().get("failed").asInt()).isEqualTo(2);
    List<JsonNode> failed = tenantResults(tenant, accepted.header("Location") + "/results?outcome=FAILED");
    assertThat(failed).extracting(r -> r.at("/problem/errors/0/field").asText()).containsExactly("name", "city");
    assertThat(agent.pollNow(10).jobs()).extracting(j -> j.customer().externalId()).containsExactly("CRM-1");
  }

  @Test
  void theResultsCsvNeverHandsASpreadsheetALiveFormula() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    // Valid external ids (any text up to 20 characters) that a spreadsheet would evaluate, and one record that
    // is invalid for its country, whose id is kept as sent.
    String good = ",Hauptstrasse,69190,Walldorf,DE,de,EUR,1000,10,00\r\n";
    String body = CSV_HEADER + "\r\n"
        + "=2+2,Formel GmbH" + good
        + "+1-1,Plus GmbH" + good
        + "-2+3,Minus GmbH" + good
        + "@SUM(A1:A9),At GmbH" + good
        + "\"=HYPERLINK(\"\"x\"\")\",Link GmbH,Hauptstrasse,69190,Walldorf,XX,de,EUR,1000,10,00\r\n"
        + "CRM-6,Normal GmbH" + good
        + "\"\t=1+1\",Tab GmbH" + good;

    Reply accepted = send(tenant, "POST", BATCHES + "?mode=insert", body.getBytes(StandardCharsets.UTF_8), "text/csv");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    String batch = accepted.header("Location");
    java.util.concurrent.atomic.AtomicInteger numbers = new java.util.concurrent.atomic.AtomicInteger(100_000);
    CustomerBatchTest.runToEnd(agent, tenant.engine(), batch, j -> JobResult.succeeded(j,
        Fixtures.created(j.customer(), String.format("%010d", numbers.incrementAndGet()))));

    Reply csv = tenant.engine().get(batch + "/results", "Accept", "text/csv");

    assertThat(csv.status()).isEqualTo(200);
    String[] lines = csv.body().split("\r\n");
    assertThat(lines).hasSize(8);
    assertThat(lines[1]).startsWith("1,SUCCEEDED,\"'=2+2\",00001000");
    assertThat(lines[2]).startsWith("2,SUCCEEDED,\"'+1-1\",");
    assertThat(lines[3]).startsWith("3,SUCCEEDED,\"'-2+3\",");
    assertThat(lines[4]).startsWith("4,SUCCEEDED,\"'@SUM(A1:A9)\",");
    assertThat(lines[5]).startsWith("5,FAILED,\"'=HYPERLINK(\"\"x\"\")\",,,,422,");
    assertThat(lines[6]).startsWith("6,SUCCEEDED,CRM-6,00001000");
    assertThat(lines[7]).startsWith("7,FAILED,\"'\t=1+1\",,,,422,");
    // No cell of any row starts with a formula character outside the neutralising quote.
    for (String line : lines) {
      for (String cell : line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
        assertThat(cell).as(line).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("-")
            .doesNotStartWith("@").doesNotStartWith("\"=").doesNotStartWith("\"+").doesNotStartWith("\"-")
            .doesNotStartWith("\"@");
      }
    }
  }

  private static List<JsonNode> tenantResults(TestRelay.Tenant tenant, String url) {
    List<JsonNode> out = new ArrayList<>();
    String next = url;
    while (next != null) {
      Reply page = tenant.engine().get(next);
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      page.json().get("value").forEach(out::add);
      next = page.json().has("nextLink") ? page.json().get("nextLink").asText() : null;
    }
    return out;
  }
}
