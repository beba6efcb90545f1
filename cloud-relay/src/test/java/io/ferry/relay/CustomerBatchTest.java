package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Customer;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Problem;
import io.ferry.protocol.SapMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Customer batches through real HTTP, with {@link FakeAgent} playing the agent: intake of JSON and CSV with
 * precise per-record problems, mappings, stop and continue, the parallelism bound, idempotent retries,
 * tenant isolation and the body limit. The shared relay runs at most {@value #PARALLELISM} records of a
 * batch at once.
 */
class CustomerBatchTest {

  static final int PARALLELISM = 3;
  static final String BATCHES = "/v1/customer-batches";
  static final String CSV = "text/csv";
  static final String HEADER = "externalId,name,street,postalCode,city,country,language,currency,"
      + "salesOrganization,distributionChannel,division";

  @TempDir
  static Path dataDir;
  static TestRelay relay;
  private static final AtomicInteger NUMBERS = new AtomicInteger(100_000);

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c.withPollHold(Duration.ofSeconds(1)).withBatchParallelism(PARALLELISM));
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  static String row(int i) {
    return "CRM-" + i + ",Muster " + i + " GmbH,Hauptstrasse,69190,Walldorf,DE,de,EUR,1000,10,00";
  }

  static String csv(int rows) {
    StringBuilder b = new StringBuilder(HEADER).append("\r\n");
    for (int i = 1; i <= rows; i++) {
      b.append(row(i)).append("\r\n");
    }
    return b.toString();
  }

  static String jsonRecord(String externalId) {
    return Fixtures.CUSTOMER_JSON.replace("CRM-4711", externalId);
  }

  /** SAP's answer to a create: the customer with a new number. */
  static JobResult created(JobEnvelope job) {
    return JobResult.succeeded(job, Fixtures.created(job.customer(),
        String.format("%010d", NUMBERS.incrementAndGet())));
  }

  /**
   * Plays the agent until the batch has ended: every job it is handed is answered by {@code answer}. Each
   * poll is held by the relay until the batch's next step queues a job, so this does not spin.
   */
  static List<JobEnvelope> runToEnd(FakeAgent agent, Engine engine, String batchUrl,
      Function<JobEnvelope, JobResult> answer) {
    List<JobEnvelope> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (engine.get(batchUrl).status() != 200) {
      assertThat(System.nanoTime()).as("the batch ended within 60 s").isLessThan(deadline);
      for (JobEnvelope job : agent.poll(50).jobs()) {
        seen.add(job);
        assertThat(agent.result(answer.apply(job)).status()).isEqualTo(204);
      }
    }
    return seen;
  }

  static List<JsonNode> results(Engine engine, String batchUrl, String query) {
    List<JsonNode> out = new ArrayList<>();
    String next = batchUrl + "/results" + query;
    while (next != null) {
      Reply page = engine.get(next);
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      page.json().get("value").forEach(out::add);
      next = page.json().has("nextLink") ? page.json().get("nextLink").asText() : null;
    }
    return out;
  }

  // ---------------------------------------------------------------- intake

  @Test
  void aCsvBatchAnswers202WithItsLocationAndReportsEachInvalidRowAtOnceWithItsField() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Engine engine = tenant.engine();
    // A BOM, semicolons (as Excel writes them in much of Europe), a quoted cell with the delimiter, a
    // doubled quote, a quoted cell with a line break in it (read as one cell, refused as a name: a name is one
    // line), and CRLF line ends.
    String body = "\uFEFF" + HEADER.replace(',', ';') + "\r\n"
        + "CRM-1;\"Muster; Sohn \"\"& Co\"\"\";Hauptstrasse;69190;Walldorf;DE;de;EUR;1000;10;00\r\n"
        + "CRM-2;Zwei GmbH;Hauptstrasse;69190;Walldorf;XX;de;EUR;1000;10;00\r\n"
        + "CRM-3;\"Drei\nGmbH\";Hauptstrasse;69190;Walldorf;DE;de;EUR;1000;10;00\r\n"
        + "CRM-4;;Hauptstrasse;69190;Walldorf;DE;de;EUR;1000;10;00\r\n"
        + "CRM-5;Fuenf GmbH;Hauptstrasse;69190\r\n"
        + "\r\n"
        + "CRM-6;Sechs GmbH;Hauptstrasse;69190;Walldorf;DE;de;EUR;1000;10;00\r\n";

    Reply accepted = engine.postBody(BATCHES + "?mode=insert", body, CSV + "; charset=utf-8");

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    String id = accepted.json().get("id").asText();
    assertThat(accepted.header("Location")).isEqualTo(relay.base() + BATCHES + "/" + id);
    assertThat(Integer.parseInt(accepted.header("Retry-After"))).isBetween(1, 10);
    JsonNode status = accepted.json();
    assertThat(status.get("status").asText()).isEqualTo("RUNNING");
    assertThat(status.get("mode").asText()).isEqualTo("insert");
    assertThat(status.get("errorHandling").asText()).isEqualTo("continue");
    assertThat(status.get("total").asInt()).isEqualTo(6);
    assertThat(status.get("failed").asInt()).isEqualTo(4);
    assertThat(status.get("queued").asInt() + status.get("running").asInt()).isEqualTo(2);
    assertThat(status.get("succeeded").asInt()).isZero();
    assertThat(status.get("skipped").asInt()).isZero();
    assertThat(status.get("results").asText()).isEqualTo(relay.base() + BATCHES + "/" + id + "/results");
    assertThat(accepted.body()).doesNotContain("null");

    List<JsonNode> failed = results(engine, accepted.header("Location"), "?outcome=FAILED");
    assertThat(failed).extracting(r -> r.get("recordIndex").asInt()).containsExactly(2, 3, 4, 5);
    JsonNode country = failed.get(0);
    assertThat(country.get("externalId").asText()).isEqualTo("CRM-2");
    Problem p = Protocol.read(country.get("problem"), Problem.class);
    assertThat(p.status()).isEqualTo(422);
    assertThat(p.code()).isEqualTo("FERRY-RELAY-0101");
    assertThat(p.errors()).extracting(Problem.FieldError::field).containsExactly("country");
    assertThat(p.errors().get(0).message()).contains("XX");
    assertThat(p.detail()).startsWith("country ");
    Problem lineBreak = Protocol.read(failed.get(1).get("problem"), Problem.class);
    assertThat(lineBreak.errors()).extracting(Problem.FieldError::field).containsExactly("name");
    assertThat(lineBreak.errors().get(0).message()).contains("U+000A");
    Problem name = Protocol.read(failed.get(2).get("problem"), Problem.class);
    assertThat(name.errors()).extracting(Problem.FieldError::field).containsExactly("name");
    assertThat(name.errors().get(0).message()).isEqualTo("is required");
    Problem cells = Protocol.read(failed.get(3).get("problem"), Problem.class);
    assertThat(cells.detail()).contains("has 4 cells where the header row has 11").contains("line 7");

    List<JobEnvelope> jobs = runToEnd(agent, engine, accepted.header("Location"), CustomerBatchTest::created);
    // Only the valid records became jobs (the order within one step is not fixed).
    jobs.sort(java.util.Comparator.comparing(j -> j.customer().externalId()));
    assertThat(jobs).extracting(j -> j.customer().externalId()).containsExactly("CRM-1", "CRM-6");
    assertThat(jobs.get(0).customer().name()).isEqualTo("Muster; Sohn \"& Co\"");
    assertThat(jobs.get(0).customer().salesArea().salesOrganization()).isEqualTo("1000");

    Reply done = engine.get(accepted.header("Location"));
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.json().get("status").asText()).isEqualTo("COMPLETED");
    assertThat(done.json().get("succeeded").asInt()).isEqualTo(2);
    assertThat(done.json().get("failed").asInt()).isEqualTo(4);
    assertThat(done.json().get("finishedAt").asText()).isNotBlank();
    List<JsonNode> all = results(engine, accepted.header("Location"), "");
    assertThat(all).extracting(r -> r.get("outcome").asText())
        .containsExactly("SUCCEEDED", "FAILED", "FAILED", "FAILED", "FAILED", "SUCCEEDED");
    assertThat(all.get(0).get("customerNumber").asText()).matches("\\d{10}");
    assertThat(all.get(0).get("operationId").asText()).isEqualTo(jobs.get(0).jobId());
    assertThat(engine.get("/v1/operations/" + jobs.get(0).jobId()).status()).as("a record's job is an operation")
        .isEqualTo(201);
    assertThat(all.get(0).has("problem")).isFalse();
  }

  @Test
  void aJsonArrayWithAMappingFillsTheModelFromOtherNamesAndNestedMembers() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Engine engine = tenant.engine();
    String element = """
        {"id":"CRM-%d","account":{"name":"Konto %d","owner":"someone"},"zip":"69190","street":"Hauptstrasse",
         "city":"Walldorf","country":"DE","language":"de","currency":"EUR","org":"1000",
         "salesArea":{"distributionChannel":"10","division":"00"},"createdDate":"2024-01-01"}""";
    String body = "[" + element.formatted(1, 1) + "," + element.formatted(2, 2) + "]";

    Reply accepted = engine.post(BATCHES + "?mode=insert&mapping=id:externalId,account.name:name,zip:postalCode,"
        + "org:salesArea.salesOrganization", body);

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    assertThat(accepted.json().get("failed").asInt()).isZero();
    List<JobEnvelope> jobs = runToEnd(agent, engine, accepted.header("Location"), CustomerBatchTest::created);
    jobs.sort(java.util.Comparator.comparing(j -> j.customer().externalId()));
    Customer first = jobs.get(0).customer();
    assertThat(first.externalId()).isEqualTo("CRM-1");
    assertThat(first.name()).isEqualTo("Konto 1");
    assertThat(first.postalCode()).isEqualTo("69190");
    assertThat(first.salesArea().salesOrganization()).isEqualTo("1000");
    assertThat(first.salesArea().distributionChannel()).isEqualTo("10");
  }

  @Test
  void aCsvMappingRenamesColumnsIgnoresUnmappedOnesAndNamesTheColumnInProblems() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Engine engine = tenant.engine();
    String body = "Account Name,Zip,Sales Org,Owner,street,city,country,language,currency,distributionChannel,division\n"
        + "Muster GmbH,69190,1000,Anna,Hauptstrasse,Walldorf,DE,de,EUR,10,00\n"
        + "Zweite GmbH,691901234567,1000,Ben,Hauptstrasse,Walldorf,DE,de,EUR,10,00\n";

    Reply accepted = engine.postBody(BATCHES + "?mode=insert&mapping=Account%20Name:name,Zip:postalCode,"
        + "Sales%20Org:salesOrganization", body, CSV);

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    assertThat(accepted.json().get("ignoredColumns")).extracting(JsonNode::asText).containsExactly("Owner");
    List<JsonNode> failed = results(engine, accepted.header("Location"), "?outcome=FAILED");
    assertThat(failed).hasSize(1);
    Problem zip = Protocol.read(failed.get(0).get("problem"), Problem.class);
    assertThat(zip.errors().get(0).field()).isEqualTo("postalCode");
    assertThat(zip.errors().get(0).message()).contains("at most 10").endsWith("(column 'Zip')");
    List<JobEnvelope> jobs = runToEnd(agent, engine, accepted.header("Location"), CustomerBatchTest::created);
    assertThat(jobs).singleElement().satisfies(j -> {
      assertThat(j.customer().name()).isEqualTo("Muster GmbH");
      assertThat(j.customer().salesArea().salesOrganization()).isEqualTo("1000");
    });
  }

  @Test
  void mappingTargetsThatAreNoFieldsAre422NamingEachAndNothingIsStored() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    Reply r = tenant.engine().postBody(BATCHES + "?mode=insert&mapping=Zip:postcode,Account:name,Owner:salesRep",
        csv(2), CSV);

    assertThat(r.status()).isEqualTo(422);
    Problem p = r.problem();
    assertThat(p.code()).isEqualTo("FERRY-RELAY-0132");
    assertThat(p.type()).endsWith("/invalid-mapping");
    assertThat(p.detail()).contains("postcode").contains("salesRep").doesNotContain("Account");
    assertThat(p.errors()).extracting(Problem.FieldError::field).containsOnly("mapping");
    assertThat(p.errors()).hasSize(2);
    assertThat(agent.pollNow(50).jobs()).isEmpty();
  }

  @Test
  void csvColumnsThatAreNoFieldsAre422WithoutAMappingAndAMappedColumnTheCsvLacksToo() {
    TestRelay.Tenant tenant = relay.tenant();
    tenant.enrollAgent();
    Engine engine = tenant.engine();

    Reply unknown = engine.postBody(BATCHES + "?mode=insert", csv(1).replace("postalCode", "Zip"), CSV);
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.problem().code()).isEqualTo("FERRY-RELAY-0131");
    assertThat(unknown.problem().errors()).extracting(Problem.FieldError::field).containsExactly("Zip");
    assertThat(unknown.problem().detail()).contains("Zip").contains("mapping");

    Reply missing = engine.postBody(BATCHES + "?mode=insert&mapping=Postleitzahl:postalCode", csv(1), CSV);
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.problem().code()).isEqualTo("FERRY-RELAY-0132");
    assertThat(missing.problem().detail()).contains("Postleitzahl");
  }

  @Test
  void updateNeedsACustomerNumberColumnAndUpsertAnExternalIdInEachRecord() {
    TestRelay.Tenant tenant = relay.tenant();
    tenant.enrollAgent();
    Engine engine = tenant.engine();

    Reply update = engine.postBody(BATCHES + "?mode=update", "city,postalCode\nBerlin,10117\n", CSV);
    assertThat(update.status()).isEqualTo(422);
    assertThat(update.problem().errors()).extracting(Problem.FieldError::field).containsExactly("customerNumber");

    Reply upsert = engine.post(BATCHES + "?mode=upsert", "[" + jsonRecord("CRM-1") + ","
        + Fixtures.CUSTOMER_JSON.replace("\"externalId\":\"CRM-4711\",", "") + "]");
    assertThat(upsert.status()).as(upsert.body()).isEqualTo(202);
    List<JsonNode> failed = results(engine, upsert.header("Location"), "?outcome=FAILED");
    assertThat(failed).singleElement().satisfies(r -> {
      assertThat(r.get("recordIndex").asInt()).isEqualTo(2);
      assertThat(r.at("/problem/errors/0/field").asText()).isEqualTo("externalId");
      assertThat(r.at("/problem/errors/0/message").asText()).contains("upsert");
    });
  }

  @Test
  void anUpdateBatchSendsEachRowAsAMergePatchOfTheCustomerItNames() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Engine engine = tenant.engine();

    Reply accepted = engine.postBody(BATCHES + "?mode=update",
        "customerNumber,city,postalCode,phone\n100001,Berlin,10117,\n0000100002,Hamburg,,+49 40 1\nABC-1,Köln,,\n",
        CSV);

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    List<JsonNode> failed = results(engine, accepted.header("Location"), "?outcome=FAILED");
    assertThat(failed).singleElement().satisfies(r -> {
      assertThat(r.get("customerNumber").asText()).isEqualTo("ABC-1");
      assertThat(r.at("/problem/errors/0/field").asText()).isEqualTo("customerNumber");
    });
    List<JobEnvelope> jobs = runToEnd(agent, engine, accepted.header("Location"),
        j -> JobResult.succeeded(j, Fixtures.sample(String.format("%010d", Long.parseLong(j.customerNumber())))));
    jobs.sort(java.util.Comparator.comparing(j -> Long.parseLong(j.customerNumber())));
    assertThat(jobs).extracting(JobEnvelope::customerNumber).containsExactly("100001", "0000100002");
    assertThat(jobs.get(0).changes().toString()).isEqualTo("{\"city\":\"Berlin\",\"postalCode\":\"10117\"}");
    assertThat(jobs.get(1).changes().toString()).isEqualTo("{\"city\":\"Hamburg\",\"phone\":\"+49 40 1\"}");
    assertThat(results(engine, accepted.header("Location"), "?outcome=SUCCEEDED"))
        .extracting(r -> r.get("customerNumber").asText()).containsExactly("0000100001", "0000100002");
  }

  @Test
  void malformedBodiesAndParametersAreProblemsNamingTheCause() {
    TestRelay.Tenant tenant = relay.tenant();
    tenant.enrollAgent();
    Engine engine = tenant.engine();

    Reply quote = engine.postBody(BATCHES + "?mode=insert", HEADER + "\n" + row(1) + "\n\"CRM-2,x\n", CSV);
    assertThat(quote.status()).isEqualTo(400);
    assertThat(quote.problem().code()).isEqualTo("FERRY-RELAY-0130");
    assertThat(quote.problem().detail()).contains("line 3").contains("not closed");

    Reply afterQuote = engine.postBody(BATCHES + "?mode=insert", HEADER + "\n\"CRM-1\"x," + row(1) + "\n", CSV);
    assertThat(afterQuote.status()).isEqualTo(400);
    assertThat(afterQuote.problem().detail()).contains("line 2").contains("'x'");

    byte[] latin1 = (HEADER + "\n" + row(1).replace("Muster", "M\u00fcller") + "\n").getBytes(StandardCharsets.ISO_8859_1);
    Reply notUtf8 = engine.postChunked(BATCHES + "?mode=insert", latin1, CSV);
    assertThat(notUtf8.status()).isEqualTo(400);
    assertThat(notUtf8.problem().detail()).contains("UTF-8");

    Reply json = engine.post(BATCHES + "?mode=insert", "[" + jsonRecord("CRM-1") + ",{\"name\":");
    assertThat(json.status()).isEqualTo(400);
    assertThat(json.problem().code()).isEqualTo("FERRY-RELAY-0100");
    assertThat(json.problem().detail()).contains("line");

    Reply object = engine.post(BATCHES + "?mode=insert", jsonRecord("CRM-1"));
    assertThat(object.status()).isEqualTo(422);
    assertThat(object.problem().detail()).contains("JSON array");

    Reply empty = engine.post(BATCHES + "?mode=insert", "[]");
    assertThat(empty.status()).isEqualTo(422);
    assertThat(empty.problem().detail()).contains("no records");

    Reply noMode = engine.post(BATCHES, "[" + jsonRecord("CRM-1") + "]");
    assertThat(noMode.status()).isEqualTo(400);
    assertThat(noMode.problem().errors()).extracting(Problem.FieldError::field).containsExactly("mode");

    Reply badHandling = engine.post(BATCHES + "?mode=insert&errorHandling=ignore", "[" + jsonRecord("CRM-1") + "]");
    assertThat(badHandling.status()).isEqualTo(400);
    assertThat(badHandling.problem().errors()).extracting(Problem.FieldError::field).containsExactly("errorHandling");

    Reply text = engine.postBody(BATCHES + "?mode=insert", csv(1), "text/plain");
    assertThat(text.status()).isEqualTo(415);
    assertThat(text.problem().detail()).contains("text/csv");

    Reply latin = engine.postBody(BATCHES + "?mode=insert", csv(1), "text/csv; charset=ISO-8859-1");
    assertThat(latin.status()).isEqualTo(415);
  }

  // ---------------------------------------------------------------- running

  @Test
  void neverMoreRecordsOfABatchAreInFlightThanItsParallelism() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Engine engine = tenant.engine();
    Reply accepted = engine.postBody(BATCHES + "?mode=insert", csv(12), CSV);
    String batch = accepted.header("Location");

    List<JobEnvelope> held = new ArrayList<>();
    int mostAtOnce = 0;
    int done = 0;
    while (done < 12) {
      // The agent asks for 50 each time: whatever the relay has queued, it gets.
      held.addAll(agent.poll(50).jobs());
      mostAtOnce = Math.max(mostAtOnce, held.size());
      assertThat(held.size()).as("jobs of the batch leased at once").isLessThanOrEqualTo(PARALLELISM);
      if (held.size() == PARALLELISM) {
        assertThat(agent.pollNow(50).jobs()).as("nothing more is queued while the slots are full").isEmpty();
        Reply progress = engine.get(batch);
        assertThat(progress.json().get("running").asInt()).isEqualTo(PARALLELISM);
        assertThat(progress.json().get("queued").asInt()).isEqualTo(12 - done - PARALLELISM);
      }
      if (!held.isEmpty()) {
        assertThat(agent.result(created(held.remove(0))).status()).isEqualTo(204);
        done++;
      }
    }
    assertThat(mostAtOnce).isEqualTo(PARALLELISM);
    Fixtures.await("the batch to complete", Duration.ofSeconds(10), () -> engine.get(batch).status() == 200);
    assertThat(engine.get(batch).json().get("succeeded").asInt()).isEqualTo(12);
  }

  @Test
  void stopModeRefusesABatchWithAnInvalidRecordAndStoresNothing() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    String body = csv(5).replace(row(2), row(2).replace(",DE,", ",XX,")).replace(row(4), row(4).replace("EUR", "EURO"));

    Reply r = tenant.engine().postBody(BATCHES + "?mode=insert&errorHandling=stop", body, CSV);

    assertThat(r.status()).isEqualTo(422);
    Problem p = r.problem();
    assertThat(p.code()).isEqualTo("FERRY-RELAY-0131");
    assertThat(p.detail()).contains("2 of 5 records are invalid").contains("records[2].country");
    assertThat(p.errors()).extracting(Problem.FieldError::field).containsExactly("records[2].country",
        "records[4].currency");
    assertThat(agent.pollNow(50).jobs()).isEmpty();
  }

  @Test
  void stopModeStopsQueuingAtTheFirstFailedRecordAndSkipsTheRest() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Engine engine = tenant.engine();
    Reply accepted = engine.postBody(BATCHES + "?mode=insert&errorHandling=stop", csv(8), CSV);
    String batch = accepted.header("Location");
    assertThat(accepted.json().get("errorHandling").asText()).isEqualTo("stop");

    List<JobEnvelope> first = new ArrayList<>();
    while (first.size() < PARALLELISM) {
      first.addAll(agent.poll(50).jobs());
    }
    JobError refused = new JobError(JobError.Kind.SAP_BUSINESS_ERROR, "FERRY-SAP-0001", "SAP refused the customer",
        List.of(new SapMessage("E", "F2", "153", "Reference customer 9999 does not exist")));
    assertThat(agent.fail(first.get(0), refused).status()).isEqualTo(204);
    assertThat(agent.result(created(first.get(1))).status()).isEqualTo(204);
    assertThat(agent.pollNow(50).jobs()).as("no record is queued after a failure").isEmpty();
    assertThat(engine.get(batch).status()).as("a record is still in flight").isEqualTo(202);
    assertThat(agent.result(created(first.get(2))).status()).isEqualTo(204);

    Fixtures.await("the batch to stop", Duration.ofSeconds(10), () -> engine.get(batch).status() == 200);
    JsonNode status = engine.get(batch).json();
    assertThat(status.get("status").asText()).isEqualTo("STOPPED");
    assertThat(status.get("failed").asInt()).isEqualTo(1);
    assertThat(status.get("succeeded").asInt()).isEqualTo(2);
    assertThat(status.get("skipped").asInt()).isEqualTo(5);
    List<JsonNode> all = results(engine, batch, "");
    // The first three records ran (in no fixed order within one step); the one that failed is reported.
    int failedIndex = Integer.parseInt(first.get(0).customer().externalId().substring("CRM-".length()));
    assertThat(all.subList(0, 3)).extracting(r -> r.get("outcome").asText())
        .containsExactlyInAnyOrder("FAILED", "SUCCEEDED", "SUCCEEDED");
    assertThat(all.get(failedIndex - 1).get("outcome").asText()).isEqualTo("FAILED");
    assertThat(all.subList(3, 8)).extracting(r -> r.get("outcome").asText()).containsOnly("SKIPPED");
    Problem p = Protocol.read(all.get(failedIndex - 1).get("problem"), Problem.class);
    assertThat(p.status()).isEqualTo(422);
    assertThat(p.code()).isEqualTo("FERRY-SAP-0001");
    assertThat(p.sapMessages()).extracting(SapMessage::message).containsExactly("Reference customer 9999 does not exist");
    assertThat(p.instance()).isEqualTo("/v1/operations/" + first.get(0).jobId());
    assertThat(agent.pollNow(50).jobs()).isEmpty();
  }

  @Test
  void upsertsOfOneExternalIdNeverRunAtOnceAndEachReportsItsEffect() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Engine engine = tenant.engine();
    Reply accepted = engine.post(BATCHES + "?mode=upsert",
        "[" + jsonRecord("CRM-1") + "," + jsonRecord("CRM-1") + "," + jsonRecord("CRM-2") + "]");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);

    List<JobEnvelope> firstRound = agent.poll(50).jobs();
    assertThat(firstRound).extracting(j -> j.customer().externalId()).containsExactlyInAnyOrder("CRM-1", "CRM-2");
    assertThat(firstRound).allSatisfy(j -> assertThat(j.action().wireName()).isEqualTo("customer.upsert"));
    assertThat(agent.pollNow(50).jobs()).as("the second CRM-1 waits for the first").isEmpty();
    for (JobEnvelope j : firstRound) {
      agent.result(JobResult.upserted(j, Fixtures.created(j.customer(), "0000200001"), JobResult.Effect.CREATED));
    }
    List<JobEnvelope> rest = runToEnd(agent, engine, accepted.header("Location"),
        j -> JobResult.upserted(j, Fixtures.created(j.customer(), "0000200001"), JobResult.Effect.UPDATED));
    assertThat(rest).extracting(j -> j.customer().externalId()).containsExactly("CRM-1");
    assertThat(results(engine, accepted.header("Location"), "")).extracting(r -> r.get("effect").asText())
        .containsExactly("CREATED", "UPDATED", "CREATED");
  }

  @Test
  void aRetryWithTheSameIdempotencyKeyIsTheSameBatchAndAnotherBodyUnderItIs422() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Engine engine = tenant.engine();

    Reply first = engine.postBody(BATCHES + "?mode=insert", csv(2), CSV, "Idempotency-Key", "load-2024-05-01");
    Reply again = engine.postBody(BATCHES + "?mode=insert", csv(2), CSV, "Idempotency-Key", "load-2024-05-01");
    Reply other = engine.postBody(BATCHES + "?mode=insert", csv(3), CSV, "Idempotency-Key", "load-2024-05-01");
    Reply otherMode = engine.postBody(BATCHES + "?mode=upsert", csv(2), CSV, "Idempotency-Key", "load-2024-05-01");

    assertThat(first.status()).isEqualTo(202);
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.header("Location")).isEqualTo(first.header("Location"));
    assertThat(other.status()).isEqualTo(422);
    assertThat(other.problem().code()).isEqualTo("FERRY-RELAY-0111");
    assertThat(otherMode.status()).isEqualTo(422);
    String json = "[" + jsonRecord("CRM-7") + "]\n";
    Reply jsonFirst = engine.post(BATCHES + "?mode=insert", json, "Idempotency-Key", "load-json");
    Reply jsonAgain = engine.post(BATCHES + "?mode=insert", json, "Idempotency-Key", "load-json");
    assertThat(jsonAgain.json().get("id").asText()).isEqualTo(jsonFirst.json().get("id").asText());
    assertThat(jsonAgain.header("Idempotent-Replayed")).isEqualTo("true");
    Reply reordered = engine.post(BATCHES + "?mode=insert", json.replace("\n", " \n"), "Idempotency-Key", "load-json");
    assertThat(reordered.status()).as("the fingerprint is of the bytes as sent").isEqualTo(422);

    List<JobEnvelope> jobs = runToEnd(agent, engine, first.header("Location"), CustomerBatchTest::created);
    jobs.addAll(runToEnd(agent, engine, jsonFirst.header("Location"), CustomerBatchTest::created));
    assertThat(jobs).as("each batch ran, once").hasSize(3);
  }

  @Test
  void twoIdenticalBatchesSentAtOnceUnderOneKeyAreOneBatch() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Engine engine = tenant.engine();
    String body = csv(3_000); // long enough for the two intakes to overlap

    var one = Http.async(() -> engine.postBody(BATCHES + "?mode=insert", body, CSV, "Idempotency-Key", "twice"));
    var two = Http.async(() -> engine.postBody(BATCHES + "?mode=insert", body, CSV, "Idempotency-Key", "twice"));
    Reply a = one.get(30, java.util.concurrent.TimeUnit.SECONDS);
    Reply b = two.get(30, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(List.of(a.status(), b.status())).containsOnly(202);
    assertThat(a.json().get("id").asText()).isEqualTo(b.json().get("id").asText());
    assertThat(List.of(String.valueOf(a.header("Idempotent-Replayed")), String.valueOf(b.header("Idempotent-Replayed"))))
        .containsExactlyInAnyOrder("true", "null");
    // The runner queues the first records after the answer, on its own thread: wait for that step, not for
    // the race between it and this poll.
    String results = BATCHES + "/" + a.json().get("id").asText() + "/results?limit=" + PARALLELISM;
    Fixtures.await("the batch's first records to be queued", Duration.ofSeconds(10), () -> {
      JsonNode first = engine.get(results).json().get("value");
      for (JsonNode r : first) {
        if (!r.hasNonNull("operationId")) {
          return false;
        }
      }
      return first.size() == PARALLELISM;
    });
    assertThat(agent.pollNow(50).jobs()).as("one batch's jobs only").hasSize(PARALLELISM);
  }

  @Test
  void anotherTenantsBatchIs404() {
    TestRelay.Tenant owner = relay.tenant();
    owner.enrollAgent();
    Reply accepted = owner.engine().postBody(BATCHES + "?mode=insert", csv(1), CSV);
    TestRelay.Tenant other = relay.tenant();

    for (String path : List.of("", "/results")) {
      Reply r = other.engine().get(accepted.header("Location") + path);
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.problem().code()).isEqualTo("FERRY-RELAY-0330");
    }
    assertThat(owner.engine().get(accepted.header("Location")).status()).isIn(200, 202);
    assertThat(owner.engine().get(BATCHES + "/not-an-id").status()).isEqualTo(404);
  }

  @Test
  void aBatchIsRefusedWith503WhenNoAgentOfTheTenantIsOnline() {
    TestRelay.Tenant tenant = relay.tenant();
    Reply r = tenant.engine().postBody(BATCHES + "?mode=insert", csv(1), CSV);
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.header("Retry-After")).isEqualTo("30");
  }

  @Test
  void tenThousandRecordsAreTakenAndListedInPagesAndAsOneStreamedCsv() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Engine engine = tenant.engine();

    Reply accepted = engine.postBody(BATCHES + "?mode=insert", csv(10_000), CSV);

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    assertThat(accepted.json().get("total").asInt()).isEqualTo(10_000);
    assertThat(accepted.json().get("queued").asInt() + accepted.json().get("running").asInt()).isEqualTo(10_000);
    String batch = accepted.header("Location");
    Reply page = engine.get(batch + "/results");
    assertThat(page.json().get("value")).hasSize(100);
    assertThat(page.json().at("/value/0/recordIndex").asInt()).isEqualTo(1);
    assertThat(page.json().at("/value/0/externalId").asText()).isEqualTo("CRM-1");
    String next = page.json().get("nextLink").asText();
    assertThat(next).startsWith(relay.base() + BATCHES);
    assertThat(engine.get(next).json().at("/value/0/recordIndex").asInt()).isEqualTo(101);
    Reply last = engine.get(batch + "/results?after=9990&limit=1000");
    assertThat(last.json().get("value")).hasSize(10);
    assertThat(last.json().has("nextLink")).isFalse();

    Reply csv = engine.get(batch + "/results", "Accept", "text/csv");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.header("Content-Type")).startsWith("text/csv");
    String[] lines = csv.body().split("\r\n");
    assertThat(lines).hasSize(10_001);
    assertThat(lines[0]).startsWith("recordIndex,outcome,externalId");
    assertThat(lines[10_000]).startsWith("10000,QUEUED,CRM-10000");
    assertThat(agent.pollNow(50).jobs()).hasSize(PARALLELISM);
  }

  @Test
  void resultsParametersAreChecked() {
    TestRelay.Tenant tenant = relay.tenant();
    tenant.enrollAgent();
    Engine engine = tenant.engine();
    String batch = engine.postBody(BATCHES + "?mode=insert", csv(1), CSV).header("Location");

    for (String query : List.of("?limit=0", "?limit=1001", "?after=-1", "?outcome=DONE", "?limit=x")) {
      Reply r = engine.get(batch + "/results" + query);
      assertThat(r.status()).as(query).isEqualTo(400);
      assertThat(r.problem().code()).isEqualTo("FERRY-RELAY-0113");
      assertThat(r.problem().errors()).hasSize(1);
    }
  }

  /** Reads protocol records from JSON the tests hold. */
  static final class Protocol {
    static <T> T read(JsonNode node, Class<T> type) {
      return io.ferry.protocol.Protocol.json().convertValue(node, type);
    }
  }
}
