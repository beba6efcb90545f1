package io.ferry.agent.odata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.agent.BusinessObjects;
import io.ferry.agent.exec.JobRunner;
import io.ferry.agent.exec.LeaseKeeper;
import io.ferry.agent.journal.Journal;
import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.policy.JobGate;
import io.ferry.agent.poll.Backoff;
import io.ferry.agent.relay.RelayClient;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.sap.resilience.Resilience;
import io.ferry.agent.sap.resilience.ResilienceSettings;
import io.ferry.agent.sap.setup.SapBackends;
import io.ferry.agent.sap.setup.SapSettings;
import io.ferry.odatapeer.ODataPeer;
import io.ferry.protocol.Action;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.odata.ODataAnswer;
import io.ferry.protocol.odata.ODataRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generic OData jobs end to end through the agent's job runner, over real HTTP against Ferry's OData peer (Olingo
 * with API_BUSINESS_PARTNER's real metadata, pages of two entities).
 */
class ODataJobsTest {

  static final String BP = "API_BUSINESS_PARTNER";
  private static ODataPeer peer;
  private static String sapHost;

  @TempDir Path dir;
  private final AtomicInteger jobs = new AtomicInteger();
  private SapBackend backend;
  private RelayClient relay;
  private LeaseKeeper leases;
  private Journal journal;
  private JobRunner runner;

  @BeforeAll
  static void startPeer() throws Exception {
    peer = ODataPeer.start(ODataPeer.Options.defaults().withPageSize(2));
    sapHost = URI.create(peer.url()).getAuthority();
  }

  @AfterAll
  static void stopPeer() {
    peer.close();
  }

  /** The sap.* section of an odata agent with both services configured. */
  static Map<String, String> odataAgent() {
    Map<String, String> sap = new HashMap<>();
    sap.put("backend", "odata");
    sap.put("odata.service-url", peer.url());
    sap.put("odata.user", "FERRY");
    sap.put("odata.password", "ferry-peer");
    sap.put("odata.client", "100");
    sap.put("odata.services." + BP + ".url", peer.url());
    sap.put("odata.services.API_SALES_ORDER_SRV.url", peer.salesOrderUrl());
    return sap;
  }

  static final String RESOURCES = BP + "/A_BusinessPartner:GET+POST+PATCH," + BP + "/A_BusinessPartnerAddress:GET+POST";

  @BeforeEach
  void setUp() throws Exception {
    peer.reset();
    start(odataAgent(), RESOURCES);
  }

  private void start(Map<String, String> sapSection, String resources) throws Exception {
    AgentPolicy policy = AgentPolicy.fromSection(Map.of("odata.resources", resources));
    SapSettings sap = SapSettings.fromSection(sapSection, name -> null);
    sap.odataServices().checkNamedServices(policy.generic().services());
    backend = SapBackends.open(sap, policy.calls(sap.odata() == null ? null : sap.odata().serviceUrl()));
    Resilience resilience = new Resilience(backend.name(),
        new ResilienceSettings(3, Duration.ofMillis(1), Duration.ofMillis(5), 50, Duration.ofSeconds(30)),
        Clock.systemUTC());
    relay = new RelayClient(URI.create("http://127.0.0.1:9"), "fa_test", Duration.ofMillis(200), Duration.ofMillis(200));
    leases = new LeaseKeeper(relay, Duration.ofMinutes(5));
    journal = new Journal(dir.resolve("j" + jobs.incrementAndGet()), relay,
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Math::random), Clock.systemUTC());
    runner = new JobRunner(BusinessObjects.handlers(backend, SapCalls.of(resilience)), journal, leases,
        new JobGate(policy));
  }

  @AfterEach
  void tearDown() throws Exception {
    leases.close();
    journal.close();
    relay.close();
    backend.close();
  }

  // ---- helpers ----

  private JobResult run(ODataRequest request) {
    return run(request, 1);
  }

  private JobResult run(ODataRequest request, int attempt) {
    String id = "job-" + jobs.incrementAndGet();
    Action action = "GET".equals(request.method()) ? Action.ODATA_READ : Action.ODATA_WRITE;
    runner.run(JobEnvelope.withPayload(Protocol.VERSION, id, action, attempt, Instant.now().plusSeconds(60),
        Instant.now().plusSeconds(600), null, (ObjectNode) Protocol.json().valueToTree(request)));
    JobResult r = journal.find(id).orElseThrow().result();
    String all;
    try {
      all = Protocol.json().writeValueAsString(r);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(all).as("SAP's host never leaves the agent").doesNotContain(sapHost).doesNotContain("127.0.0.1");
    return r;
  }

  private static ODataAnswer answer(JobResult r) {
    assertThat(r.outcome()).as(String.valueOf(r.error())).isEqualTo(JobResult.Outcome.SUCCEEDED);
    return Protocol.json().convertValue(r.output(), ODataAnswer.class);
  }

  private static JobError error(JobResult r) {
    assertThat(r.outcome()).isEqualTo(JobResult.Outcome.FAILED);
    return r.error();
  }

  static ODataRequest get(String path, String query) {
    return new ODataRequest(BP, "GET", path, query, null, null, null);
  }

  static ODataRequest write(String method, String path, String body, String ifMatch) {
    try {
      return new ODataRequest(BP, method, path, null, body == null ? null : Protocol.json().readTree(body), ifMatch,
          null);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String partner(String searchTerm) {
    return """
        {"BusinessPartnerCategory":"2","BusinessPartnerGrouping":"BP02","OrganizationBPName1":"Acme GmbH",
         "SearchTerm1":"%s","CorrespondenceLanguage":"DE",
         "to_BusinessPartnerAddress":{"results":[{"CityName":"Berlin","PostalCode":"10115","StreetName":"Hauptstrasse",
           "HouseNumber":"1","Country":"DE","Language":"DE"}]}}
        """.formatted(searchTerm);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private String created(String searchTerm) {
    ODataAnswer a = answer(run(write("POST", "A_BusinessPartner", partner(searchTerm), null)));
    return a.body().get("BusinessPartner").asText();
  }

  // ---- tests ----

  @Test
  void aDeepInsertCreatesThePartnerWithItsAddressAndAnswers201WithLocationBelowTheServiceRoot() {
    ODataAnswer a = answer(run(write("POST", "A_BusinessPartner", partner("CRM-1"), null)));

    assertThat(a.status()).isEqualTo(201);
    assertThat(a.location()).isEqualTo("A_BusinessPartner('100000')");
    assertThat(a.etag()).startsWith("W/\"datetime'");
    assertThat(a.body().get("BusinessPartner").asText()).isEqualTo("100000");
    assertThat(a.body().at("/__metadata/uri").asText()).isEqualTo("A_BusinessPartner('100000')");
    assertThat(peer.entity("A_BusinessPartner", "100000")).hasValueSatisfying(bp ->
        assertThat(bp).containsEntry("SearchTerm1", "CRM-1"));
    assertThat(peer.entity("A_BusinessPartnerAddress", "100000", "28000")).hasValueSatisfying(address ->
        assertThat(address).containsEntry("CityName", "Berlin"));
  }

  @Test
  void aDeepInsertAlsoTakesToManyNavigationAsAPlainArray() {
    String body = partner("CRM-ARRAY").replace("{\"results\":[", "[").replace("}]}}", "}]}");
    ODataAnswer a = answer(run(write("POST", "A_BusinessPartner", body, null)));

    assertThat(a.status()).isEqualTo(201);
    assertThat(peer.entity("A_BusinessPartnerAddress", a.body().get("BusinessPartner").asText(), "28000")).isPresent();
  }

  @Test
  void aCollectionReadFiltersCountsAndPagesThroughNextLinksBelowTheServiceRoot() {
    for (int i = 1; i <= 5; i++) {
      created("CRM-" + i);
    }
    created("OTHER");
    String query = "$filter=" + enc("startswith(SearchTerm1,'CRM')") + "&$orderby=BusinessPartner"
        + "&$select=BusinessPartner,SearchTerm1&$inlinecount=allpages";

    ODataAnswer first = answer(run(get("A_BusinessPartner", query)));

    assertThat(first.body().get("__count").asText()).isEqualTo("5");
    assertThat(first.body().has("__next")).as("__next travels as nextLink").isFalse();
    assertThat(first.body().get("results")).hasSize(2);
    assertThat(first.body().at("/results/0/__metadata/uri").asText()).isEqualTo("A_BusinessPartner('100000')");
    assertThat(first.nextLink()).startsWith("A_BusinessPartner?").contains("$skiptoken=2")
        .doesNotContain("sap-client", "$format");

    List<String> seen = new ArrayList<>();
    ODataAnswer page = first;
    int pages = 1;
    while (true) {
      page.body().get("results").forEach(n -> seen.add(n.get("SearchTerm1").asText()));
      if (page.nextLink() == null) {
        break;
      }
      String[] next = page.nextLink().split("\\?", 2);
      page = answer(run(get(next[0], next[1])));
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactly("CRM-1", "CRM-2", "CRM-3", "CRM-4", "CRM-5");

    ODataAnswer count = answer(run(get("A_BusinessPartner/$count", "$filter=" + enc("startswith(SearchTerm1,'CRM')"))));
    assertThat(count.text()).isEqualTo("5");
    assertThat(count.contentType()).isEqualTo("text/plain");

    ODataAnswer top = answer(run(get("A_BusinessPartner", "$top=1&$filter=" + enc("SearchTerm1 eq 'OTHER'"))));
    assertThat(top.body().get("results")).hasSize(1);
    assertThat(top.nextLink()).isNull();
  }

  @Test
  void aReadByKeyAnswersTheEntityWithItsEtagAndNavigationLinksBelowTheRoot() {
    String bp = created("CRM-1");

    ODataAnswer a = answer(run(get("A_BusinessPartner('" + bp + "')", null)));

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.etag()).startsWith("W/\"datetime'");
    assertThat(a.body().get("OrganizationBPName1").asText()).isEqualTo("Acme GmbH");
    assertThat(a.body().at("/to_BusinessPartnerAddress/__deferred/uri").asText())
        .isEqualTo("A_BusinessPartner('" + bp + "')/to_BusinessPartnerAddress");

    ODataAnswer expanded = answer(run(get("A_BusinessPartner('" + bp + "')/to_BusinessPartnerAddress", null)));
    assertThat(expanded.body().at("/results/0/CityName").asText()).isEqualTo("Berlin");
  }

  @Test
  void aPatchPassesIfMatchThroughAndAStaleEtagIsPreconditionFailed() {
    String bp = created("CRM-1");
    String etag = answer(run(get("A_BusinessPartner('" + bp + "')", null))).etag();

    ODataAnswer changed = answer(run(write("PATCH", "A_BusinessPartner('" + bp + "')",
        "{\"OrganizationBPName1\":\"Acme AG\"}", etag)));

    assertThat(changed.status()).isEqualTo(204);
    assertThat(changed.body()).isNull();
    assertThat(changed.etag()).isNotEqualTo(etag);
    assertThat(peer.entity("A_BusinessPartner", bp).orElseThrow()).containsEntry("OrganizationBPName1", "Acme AG");

    JobError stale = error(run(write("PATCH", "A_BusinessPartner('" + bp + "')",
        "{\"OrganizationBPName1\":\"Acme SE\"}", etag)));
    assertThat(stale.kind()).isEqualTo(JobError.Kind.PRECONDITION_FAILED);
    assertThat(stale.kind().httpStatus()).isEqualTo(412);
    assertThat(stale.message()).contains("If-Match");
    assertThat(peer.entity("A_BusinessPartner", bp).orElseThrow()).containsEntry("OrganizationBPName1", "Acme AG");
  }

  @Test
  void metadataIsAnsweredAsTheEdmxText() {
    ODataAnswer a = answer(run(get("$metadata", null)));

    assertThat(a.contentType()).isEqualTo("application/xml");
    assertThat(a.text()).contains("EntityType Name=\"A_BusinessPartnerType\"");
    assertThat(a.body()).isNull();
  }

  @Test
  void theSchemaOfAnEntitySetComesFromTheMetadataWithLengthsLabelsAndNavigation() {
    peer.clearRequests();
    ODataAnswer a = answer(run(new ODataRequest(BP, "GET", "A_BusinessPartner", null, null, null, true)));
    JsonNode s = a.body();

    assertThat(s.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(s.get("title").asText()).isEqualTo("A_BusinessPartner");
    assertThat(s.get("x-sap-keys")).extracting(JsonNode::asText).containsExactly("BusinessPartner");
    JsonNode bp = s.at("/properties/BusinessPartner");
    assertThat(bp.get("type").asText()).isEqualTo("string");
    assertThat(bp.get("maxLength").asInt()).isEqualTo(10);
    assertThat(bp.get("description").asText()).isEqualTo("Business Partner");
    assertThat(s.at("/properties/ETag/readOnly").asBoolean()).isTrue();
    assertThat(s.at("/properties/CreationDate/format").asText()).isEqualTo("date-time");
    assertThat(s.at("/properties/IsNaturalPerson/type").asText()).isEqualTo("string");
    JsonNode addresses = s.at("/properties/to_BusinessPartnerAddress");
    assertThat(addresses.get("type").asText()).isEqualTo("array");
    assertThat(addresses.at("/items/properties/CityName/maxLength").asInt()).isEqualTo(40);
    assertThat(addresses.at("/items/properties/to_EmailAddress/items/properties/EmailAddress/maxLength").asInt())
        .as("two levels, for deep inserts").isEqualTo(241);
    assertThat(addresses.at("/items/properties/to_EmailAddress/items/properties/to_EmailAddress").isMissingNode()).isTrue();

    // Parsed once, then served from the agent's cache.
    answer(run(new ODataRequest(BP, "GET", "A_BusinessPartnerAddress", null, null, null, true)));
    assertThat(peer.requests()).containsExactly("GET /$metadata");
  }

  @Test
  void aResourceOutsidePolicyIsForbiddenAndNothingReachesSap() {
    peer.clearRequests();

    JobError other = error(run(get("A_Customer", null)));
    JobError delete = error(run(write("DELETE", "A_BusinessPartner('100000')", null, "*")));
    JobError unknownService = error(run(new ODataRequest("API_NOPE", "GET", "A_Thing", null, null, null, null)));
    JobError unnamedService = error(run(new ODataRequest("API_SALES_ORDER_SRV", "GET", "$metadata", null, null, null,
        null)));

    for (JobError e : List.of(other, delete, unknownService, unnamedService)) {
      assertThat(e.kind()).isEqualTo(JobError.Kind.FORBIDDEN);
      assertThat(e.code()).isEqualTo(AgentPolicy.PATH_FORBIDDEN);
      assertThat(e.message()).startsWith("forbidden by agent policy: ");
    }
    assertThat(other.message()).contains("GET API_BUSINESS_PARTNER/A_Customer", "policy.odata.resources");
    assertThat(delete.message()).contains("DELETE API_BUSINESS_PARTNER/A_BusinessPartner");
    assertThat(unknownService.message()).contains("API_NOPE is not configured");
    assertThat(peer.requests()).isEmpty();
  }

  @Test
  void queryOptionsOtherThanOdatasAndPathsOutOfTheServiceAreInvalid() {
    peer.clearRequests();

    JobError custom = error(run(get("A_BusinessPartner", "$top=1&sap-client=200")));
    JobError unknown = error(run(get("A_BusinessPartner", "search=acme")));
    JobError format = error(run(get("A_BusinessPartner", "$format=xml")));
    JobError traversal = error(run(get("A_BusinessPartner/../../API_SALES_ORDER_SRV/A_SalesOrder", null)));
    JobError encoded = error(run(get("A_BusinessPartner('1')%2F..%2F..", null)));
    JobError absolute = error(run(get("http://elsewhere/A_BusinessPartner", null)));
    JobError empty = error(run(get("A_BusinessPartner//to_Customer", null)));
    JobError batch = error(run(write("POST", "$batch", "{}", null)));

    assertThat(custom.message()).contains("'sap-client' is not allowed");
    assertThat(unknown.message()).contains("'search' is not allowed");
    assertThat(format.message()).contains("$format=xml");
    assertThat(traversal.message()).contains("A_BusinessPartner/../../API_SALES_ORDER_SRV/A_SalesOrder");
    assertThat(encoded.message()).contains("encoded");
    assertThat(batch.message()).contains("$batch is not supported");
    for (JobError e : List.of(custom, unknown, format, traversal, encoded, absolute, empty, batch)) {
      assertThat(e.kind()).isEqualTo(JobError.Kind.INVALID_REQUEST);
    }
    assertThat(peer.requests()).isEmpty();
    assertThat(answer(run(get("A_BusinessPartner", "$format=json&$top=1"))).status()).isEqualTo(200);
  }

  @Test
  void aWriteDeliveredAgainIsNeverSentAgainButARepeatedReadRuns() {
    peer.clearRequests();

    JobError again = error(run(write("POST", "A_BusinessPartner", partner("CRM-1"), null), 2));

    assertThat(again.kind()).isEqualTo(JobError.Kind.OUTCOME_UNKNOWN);
    assertThat(again.message()).contains("delivered again", "check in SAP");
    assertThat(peer.requests()).isEmpty();
    assertThat(answer(run(get("A_BusinessPartner", null), 2)).status()).isEqualTo(200);
  }

  @Test
  void aWriteWhoseAnswerIsLostIsOutcomeUnknownAndNotRetriedWhileAReadIsRetried() {
    peer.failAfterNextCreate();
    JobError lost = error(run(write("POST", "A_BusinessPartner", partner("CRM-1"), null)));

    assertThat(lost.kind()).isEqualTo(JobError.Kind.OUTCOME_UNKNOWN);
    assertThat(lost.message()).contains("POST API_BUSINESS_PARTNER/A_BusinessPartner", "check in SAP",
        "do not send the request again");
    assertThat(peer.requests()).filteredOn(r -> r.startsWith("POST")).hasSize(1);
    assertThat(peer.entity("A_BusinessPartner", "100000")).as("SAP did create it").isPresent();

    peer.failNextRequests(1);
    assertThat(answer(run(get("A_BusinessPartner", null))).body().get("results")).hasSize(1);
  }

  @Test
  void gatewaysErrorJsonBecomesSapMessages() {
    String noLanguage = partner("CRM-1").replace(",\"Language\":\"DE\"", "");

    JobError e = error(run(write("POST", "A_BusinessPartner", noLanguage, null)));

    assertThat(e.kind()).isEqualTo(JobError.Kind.SAP_BUSINESS_ERROR);
    assertThat(e.sapMessages()).anySatisfy(m -> {
      assertThat(m.id()).isEqualTo("FSBP_ECC");
      assertThat(m.number()).isEqualTo("030");
      assertThat(m.type()).isEqualTo("E");
    });
    assertThat(e.message()).contains("HTTP 400", "POST API_BUSINESS_PARTNER/A_BusinessPartner");

    JobError missing = error(run(get("A_BusinessPartner('999999')", null)));
    assertThat(missing.kind()).isEqualTo(JobError.Kind.NOT_FOUND);
  }

  @Test
  void aServiceGatewayDoesNotKnowIsAConfigurationErrorNamingItsSettingAndAReadSapCannotAnswerIsUnavailable()
      throws Exception {
    tearDown();
    Map<String, String> sap = odataAgent();
    sap.put("odata.services.API_NOPE.url", peer.url().replace(BP, "API_NOPE"));
    start(sap, RESOURCES + ",API_NOPE/A_Thing");

    JobError e = error(run(new ODataRequest("API_NOPE", "GET", "A_Thing", null, null, null, null)));

    assertThat(e.kind()).isEqualTo(JobError.Kind.SAP_UNAVAILABLE);
    assertThat(e.code()).isEqualTo("FERRY-SAP-0004");
    assertThat(e.message()).contains("OData service API_NOPE is not there", "sap.odata.services.API_NOPE.url",
        "/IWFND/MAINT_SERVICE");
    assertThat(e.sapMessages()).anySatisfy(m -> assertThat(m.id()).isEqualTo("/IWFND/MED"));

    io.ferry.agent.sap.SapDiagnosis d = backend.diagnose();
    assertThat(d.checks()).anySatisfy(c -> {
      assertThat(c.name()).isEqualTo("OData service API_BUSINESS_PARTNER ($metadata)");
      assertThat(c.ok()).isTrue();
    });
    assertThat(d.checks()).anySatisfy(c -> {
      assertThat(c.name()).isEqualTo("OData service API_NOPE ($metadata)");
      assertThat(c.ok()).isFalse();
      assertThat(c.advice()).contains("sap.odata.services.API_NOPE.url");
    });

    peer.failNextRequests(10);
    JobError down = error(run(get("A_BusinessPartner", null)));
    assertThat(down.kind()).isEqualTo(JobError.Kind.SAP_UNAVAILABLE);
    assertThat(down.message()).contains("HTTP 503", "GET API_BUSINESS_PARTNER/A_BusinessPartner");
  }

  @Test
  void aBapiAgentReachesAConfiguredServiceWithTheSapOdataLogon() throws Exception {
    tearDown();
    Map<String, String> sap = new HashMap<>(Map.of("backend", "bapi", "destination", "FERRY_SIMULATED",
        "jco.jco.client.ashost", "sap-simulator.local", "jco.jco.client.sysnr", "00",
        "jco.jco.client.client", "100", "jco.jco.client.user", "FERRY", "jco.jco.client.passwd", "test-secret-Qw81"));
    sap.put("odata.user", "FERRY");
    sap.put("odata.password", "ferry-peer");
    sap.put("odata.client", "100");
    sap.put("odata.services." + BP + ".url", peer.url());
    start(sap, RESOURCES);

    assertThat(backend.name()).isEqualTo("bapi");
    assertThat(answer(run(write("POST", "A_BusinessPartner", partner("CRM-1"), null))).status()).isEqualTo(201);
    assertThat(answer(run(get("A_BusinessPartner", "$inlinecount=allpages"))).body().get("__count").asText())
        .isEqualTo("1");
  }
}
