package io.ferry.agent.sap.odata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.agent.sap.SapDiagnosis;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SapException.Kind;
import io.ferry.odatapeer.ODataPeer;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.SalesArea;
import io.ferry.protocol.SapMessage;
import io.ferry.protocol.SearchQuery;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OData backend against the OData peer over real HTTP. */
class ODataBackendTest {

  private static final SalesArea AREA = new SalesArea("1000", "10", "00");
  private static final String PASSWORD = "ferry-peer";
  private static ODataPeer peer;

  private ODataBackend backend;

  @BeforeAll
  static void startPeer() throws Exception {
    peer = ODataPeer.start(ODataPeer.Options.defaults());
  }

  @AfterAll
  static void stopPeer() {
    peer.close();
  }

  @BeforeEach
  void fresh() {
    peer.reset();
    backend = new ODataBackend(settings());
  }

  @AfterEach
  void close() {
    backend.close();
  }

  private static ODataSettings settings() {
    return ODataSettings.basic(URI.create(peer.url()), "100", "FERRY", PASSWORD);
  }

  static Customer acme() {
    return Customer.builder()
        .externalId("CRM-0001")
        .name("Acme GmbH")
        .name2("Sales office")
        .street("Hauptstrasse")
        .houseNumber("1")
        .postalCode("10115")
        .city("Berlin")
        .region("BE")
        .country("DE")
        .language("de")
        .currency("EUR")
        .email("info@acme.example")
        .phone("+49 30 123456")
        .salesArea(AREA)
        .companyCode("1000")
        .build();
  }

  private static CustomerPatch patch(String json) throws Exception {
    return CustomerPatch.fromMergePatch((ObjectNode) new ObjectMapper().readTree(json));
  }

  @Test
  void createIsOneDeepInsertAndAnswersTheCustomerAsReadBack() throws Exception {
    Customer created = backend.create(acme());

    assertThat(created.customerNumber()).isEqualTo("0000100000");
    assertThat(created).usingRecursiveComparison().ignoringFields("customerNumber", "sapMessages").isEqualTo(acme());
    assertThat(created.sapMessages()).extracting(SapMessage::type).contains("S", "W");
    assertThat(created.sapMessages().get(0)).isEqualTo(new SapMessage("S", "ZFERRY_PEER", "001",
        "Business partner 100000 created"));
    assertThat(peer.requests()).filteredOn(r -> !r.startsWith("GET")).containsExactly("POST /A_BusinessPartner");
    assertThat(peer.entity("A_BusinessPartner", "0000100000").orElseThrow())
        .containsEntry("BusinessPartnerCategory", "2")
        .containsEntry("SearchTerm1", "CRM-0001")
        .containsEntry("CorrespondenceLanguage", "DE");
    assertThat(peer.entity("A_BusinessPartnerRole", "0000100000", "FLCU00")).isPresent();
    assertThat(peer.entity("A_BusinessPartnerRole", "0000100000", "FLCU01")).isPresent();
    assertThat(peer.entity("A_CustomerCompany", "0000100000", "1000")).isPresent();

    Customer read = backend.read("100000");
    assertThat(read).usingRecursiveComparison().ignoringFields("sapMessages").isEqualTo(created);
    assertThat(read.sapMessages()).isEmpty();
  }

  /**
   * One SAP round trip per create: the 201 body of the deep insert (partner with its address, e-mail, phone,
   * sales area and company code inline, as SAP Gateway answers it) is the answer. The CSRF token fetch is
   * counted on its own: once per session, before the session's first modifying request.
   */
  @Test
  void aCreateIsOneRequestToSapAnsweredFromTheCreatedBody() throws Exception {
    Customer first = backend.create(acme());

    assertThat(peer.requests()).hasSize(2);
    assertThat(peer.requests().get(0)).startsWith("GET"); // the session's CSRF token fetch
    assertThat(peer.requests().get(1)).isEqualTo("POST /A_BusinessPartner");

    peer.clearRequests();
    Customer second = backend.create(acme().toBuilder().externalId("CRM-0002").email(null).companyCode(null).build());

    assertThat(peer.requests()).containsExactly("POST /A_BusinessPartner");
    peer.clearRequests();
    assertThat(backend.read(first.customerNumber())).isEqualTo(first.withSapMessages(java.util.List.of()));
    assertThat(backend.read(second.customerNumber())).isEqualTo(second.withSapMessages(java.util.List.of()));
    assertThat(second.email()).isNull();
    assertThat(second.companyCode()).isNull();
    assertThat(second.phone()).isEqualTo("+49 30 123456");
  }

  @Test
  void aCreateAnsweredWithoutABodyIsReadOnceByKeyNeverByFilter() throws Exception {
    backend.create(acme().toBuilder().externalId("CRM-0000").build());
    peer.clearRequests();
    peer.answerNextCreateWithoutBody();

    Customer created = backend.create(acme());

    assertThat(created.customerNumber()).isEqualTo("0000100001");
    assertThat(peer.requestsWithQuery()).hasSize(2);
    assertThat(peer.requestsWithQuery().get(0)).startsWith("POST /A_BusinessPartner?");
    assertThat(peer.requestsWithQuery().get(1)).startsWith("GET /A_BusinessPartner('100001')?").contains("$expand=")
        .doesNotContain("$filter");
    assertThat(created.sapMessages()).extracting(SapMessage::type).contains("S");
    assertThat(backend.read(created.customerNumber())).isEqualTo(created.withSapMessages(java.util.List.of()));
  }

  @Test
  void aFailedReadAfterABodylessCreateIsAnUnknownOutcome() {
    peer.answerNextCreateWithoutBody(1);

    SapException e = catchThrowableOfType(SapException.class, () -> backend.create(acme()));

    assertThat(e.kind()).isEqualTo(Kind.OUTCOME_UNKNOWN);
    assertThat(peer.entity("A_BusinessPartner", "0000100000")).isPresent();
    assertThat(peer.requests()).filteredOn(r -> r.startsWith("GET /A_BusinessPartner")).containsExactly("GET /A_BusinessPartner('100000')");
  }

  @Test
  void theCreatedBodyIsUsedOnlyWhenEveryChildSentCameBackInline() throws Exception {
    ObjectMapper json = new ObjectMapper();
    var sent = json.readTree("{\"A\":\"1\",\"to_Address\":{\"results\":[{\"City\":\"X\",\"to_Email\":{\"results\":[{\"E\":\"e\"}]}}]},"
        + "\"to_Customer\":{\"to_Area\":{\"results\":[{\"S\":\"1\"}]}}}");
    var full = json.readTree("{\"A\":\"1\",\"Customer\":\"7\",\"to_Address\":{\"results\":[{\"to_Email\":[{\"E\":\"e\"}]}]},"
        + "\"to_Customer\":{\"to_Area\":{\"results\":[{\"S\":\"1\"}]}}}");
    var deferred = json.readTree("{\"to_Address\":{\"results\":[{\"to_Email\":{\"__deferred\":{\"uri\":\"x\"}}}]},"
        + "\"to_Customer\":{\"to_Area\":{\"results\":[{}]}}}");
    var missing = json.readTree("{\"to_Address\":{\"results\":[{\"to_Email\":{\"results\":[{}]}}]},\"to_Customer\":{}}");

    assertThat(ODataBackend.inline(sent, full)).isTrue();
    assertThat(ODataBackend.inline(sent, deferred)).isFalse();
    assertThat(ODataBackend.inline(sent, missing)).isFalse();
    assertThat(ODataBackend.inline(sent, json.missingNode())).isFalse();
    assertThat(PartnerMapping.keyOf("A_BusinessPartner", "https://s4/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner('100001')"))
        .isEqualTo("100001");
    assertThat(PartnerMapping.keyOf("A_BusinessPartner", "A_BusinessPartner(%27O''B%27)")).isEqualTo("O'B");
    assertThat(PartnerMapping.keyOf("A_BusinessPartner", "A_BusinessPartnerAddress(BusinessPartner='1',AddressID='2')")).isNull();
    assertThat(PartnerMapping.keyOf("A_BusinessPartner", null)).isNull();
  }

  @Test
  void theConfiguredGroupingIsSentAndTheExternalIdKeptInUpperCase() throws Exception {
    backend.close();
    backend = new ODataBackend(settings().withGrouping("BP02"));

    Customer created = backend.create(acme().toBuilder().externalId("crm-lower").build());

    assertThat(created.externalId()).isEqualTo("CRM-LOWER");
    assertThat(created.sapMessages()).extracting(SapMessage::type).doesNotContain("W");
    assertThat(peer.entity("A_BusinessPartner", "0000100000").orElseThrow()).containsEntry("BusinessPartnerGrouping", "BP02");
    assertThat(backend.findByExternalId("crm-lower")).map(Customer::customerNumber).hasValue("0000100000");
  }

  @Test
  void updateMergesOnlyTheEntitiesWhoseFieldsChangeAndAnswersTheReRead() throws Exception {
    backend.create(acme());
    peer.clearRequests();

    Customer updated = backend.update("0000100000", patch("{\"name\":\"Acme AG\",\"currency\":\"USD\"}"));

    assertThat(updated).usingRecursiveComparison().ignoringFields("sapMessages")
        .isEqualTo(acme().toBuilder().customerNumber("0000100000").name("Acme AG").currency("USD").build());
    assertThat(peer.requests()).filteredOn(r -> !r.startsWith("GET")).containsExactly(
        "MERGE /A_BusinessPartner('100000')",
        "MERGE /A_CustomerSalesArea(Customer='100000',SalesOrganization='1000',DistributionChannel='10',Division='00')");
    assertThat(peer.entity("A_BusinessPartner", "0000100000").orElseThrow())
        .containsEntry("OrganizationBPName1", "Acme AG")
        .containsEntry("OrganizationBPName2", "Sales office");
  }

  /** MERGE answers 204 without a body: the answer is one read by key after the changes, never a $filter on a key. */
  @Test
  void anUpdateReadsBackByKey() throws Exception {
    backend.create(acme());
    peer.clearRequests();

    Customer updated = backend.update("0000100000", patch("{\"name\":\"Acme AG\"}"));

    java.util.List<String> requests = peer.requestsWithQuery();
    assertThat(requests).hasSize(3);
    assertThat(requests.get(0)).startsWith("GET /A_BusinessPartner?"); // by customer number: not the partner's key
    assertThat(requests.get(1)).startsWith("MERGE /A_BusinessPartner('100000')?");
    assertThat(requests.get(2)).startsWith("GET /A_BusinessPartner('100000')?").doesNotContain("$filter");
    assertThat(backend.read("0000100000")).isEqualTo(updated);
  }

  @Test
  void addressEmailAndPhoneChangeOnTheirOwnEntities() throws Exception {
    backend.create(acme());
    peer.clearRequests();

    Customer updated = backend.update("0000100000",
        patch("{\"city\":\"Potsdam\",\"postalCode\":\"14467\",\"email\":\"sales@acme.example\",\"phone\":null}"));

    assertThat(updated.city()).isEqualTo("Potsdam");
    assertThat(updated.postalCode()).isEqualTo("14467");
    assertThat(updated.email()).isEqualTo("sales@acme.example");
    assertThat(updated.phone()).isNull();
    assertThat(updated.street()).isEqualTo("Hauptstrasse");
    assertThat(peer.requests()).filteredOn(r -> !r.startsWith("GET")).containsExactly(
        "MERGE /A_BusinessPartnerAddress(BusinessPartner='100000',AddressID='28000')",
        "MERGE /A_AddressEmailAddress(AddressID='28000',Person='',OrdinalNumber='001')",
        "DELETE /A_AddressPhoneNumber(AddressID='28000',Person='',OrdinalNumber='001')");

    Customer again = backend.update("0000100000", patch("{\"phone\":\"+49 331 9876\"}"));
    assertThat(again.phone()).isEqualTo("+49 331 9876");
    assertThat(peer.requests()).contains("POST /A_BusinessPartnerAddress(BusinessPartner='100000',AddressID='28000')/to_PhoneNumber");
  }

  @Test
  void patchIsUsedWhenConfigured() throws Exception {
    backend.close();
    backend = new ODataBackend(settings().withUpdateMethod(ODataSettings.UpdateMethod.PATCH));
    backend.create(acme());
    peer.clearRequests();

    assertThat(backend.update("0000100000", patch("{\"name2\":null}")).name2()).isNull();

    assertThat(peer.requests()).contains("PATCH /A_BusinessPartner('100000')");
  }

  @Test
  void aChangeInSapBetweenReadAndMergeIsAConflict() throws Exception {
    backend.create(acme());
    peer.changeConcurrentlyBeforeNextUpdate();

    SapException e = catchThrowableOfType(SapException.class,
        () -> backend.update("0000100000", patch("{\"name\":\"Acme AG\"}")));

    assertThat(e.kind()).isEqualTo(Kind.BUSINESS);
    assertThat(e.code()).isEqualTo(SapErrorCodes.CONFLICT).isEqualTo("FERRY-SAP-0005");
    assertThat(e.getMessage()).contains("changed concurrently in SAP").contains("nothing was changed");
    assertThat(e.sapMessages()).extracting(SapMessage::number).contains("412");
    assertThat(peer.entity("A_BusinessPartner", "0000100000").orElseThrow()).containsEntry("OrganizationBPName1", "Acme GmbH");
  }

  @Test
  void aStaleCsrfTokenIsFetchedAgainOnceAndTheRequestRetried() throws Exception {
    backend.create(acme());
    assertThat(peer.csrfFetches()).isEqualTo(1);
    peer.invalidateCsrfTokens();
    peer.clearRequests();

    Customer updated = backend.update("0000100000", patch("{\"name\":\"Acme AG\"}"));

    assertThat(updated.name()).isEqualTo("Acme AG");
    assertThat(peer.csrfFetches()).isEqualTo(2);
    assertThat(peer.requests()).filteredOn(r -> r.startsWith("MERGE"))
        .containsExactly("MERGE /A_BusinessPartner('100000')", "MERGE /A_BusinessPartner('100000')");
  }

  @Test
  void aTokenRefusedAgainAfterTheRefreshFailsCleanly() throws Exception {
    peer.refuseCsrfTokens(true);

    SapException e = catchThrowableOfType(SapException.class, () -> backend.create(acme()));

    assertThat(e.kind()).isEqualTo(Kind.CONFIGURATION);
    assertThat(e.code()).isEqualTo(SapErrorCodes.CONFIGURATION);
    assertThat(e.getMessage()).contains("CSRF").contains("cookies");
    assertThat(peer.csrfFetches()).isEqualTo(2);
    assertThat(peer.requests()).filteredOn(r -> r.startsWith("POST")).hasSize(2);
    assertThat(peer.entity("A_BusinessPartner", "0000100000")).isEmpty();
  }

  @Test
  void sapErrorJsonIsABusinessFailureWithTheSameSapMessagesAsTheBapiPath() throws Exception {
    SapException e = catchThrowableOfType(SapException.class,
        () -> backend.create(acme().toBuilder().currency(null).build()));

    assertThat(e.kind()).isEqualTo(Kind.BUSINESS);
    assertThat(e.code()).isEqualTo(SapErrorCodes.BUSINESS);
    assertThat(e.sapMessages()).singleElement().satisfies(m -> {
      assertThat(m.type()).isEqualTo("E");
      assertThat(m.id()).isEqualTo("CVI_API");
      assertThat(m.number()).isEqualTo("003");
      assertThat(m.message()).contains("currency");
    });
    assertThat(e.getMessage()).contains("HTTP 400").contains("CVI_API/003");
  }

  @Test
  void overloadTimeoutsAndRefusedConnectionsAreUnavailable() throws Exception {
    backend.create(acme());
    peer.failNextRequests(1);
    SapException busy = catchThrowableOfType(SapException.class, () -> backend.read("0000100000"));
    assertThat(busy.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(busy.code()).isEqualTo(SapErrorCodes.UNAVAILABLE);
    assertThat(busy.getMessage()).contains("503");

    try (ODataBackend impatient = new ODataBackend(settings().withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(200)))) {
      peer.delayResponses(Duration.ofMillis(1500));
      SapException slow = catchThrowableOfType(SapException.class, () -> impatient.read("0000100000"));
      assertThat(slow.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(slow.getMessage()).contains("sap.odata.read-timeout");
    } finally {
      peer.delayResponses(Duration.ZERO);
    }

    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (ODataBackend nowhere = new ODataBackend(ODataSettings.basic(
        URI.create("http://127.0.0.1:" + closedPort + "/sap/opu/odata/sap/API_BUSINESS_PARTNER"), null, "FERRY", PASSWORD))) {
      SapException refused = catchThrowableOfType(SapException.class, () -> nowhere.read("1"));
      assertThat(refused.kind()).isEqualTo(Kind.UNAVAILABLE);
    }
  }

  @Test
  void findByExternalIdLooksTheSearchTermUpWithQuotesEscaped() throws Exception {
    backend.create(acme());
    backend.create(acme().toBuilder().externalId("O'BRIEN-7").build());

    assertThat(backend.findByExternalId("CRM-0001")).map(Customer::customerNumber).hasValue("0000100000");
    assertThat(backend.findByExternalId("O'BRIEN-7")).map(Customer::customerNumber).hasValue("0000100001");
    assertThat(backend.findByExternalId("CRM-9999")).isEmpty();
    assertThat(peer.requests()).contains("GET /A_BusinessPartner");
  }

  @Test
  void searchPagesInCustomerOrderWithOneRequestPerPage() throws Exception {
    Customer a = backend.create(acme().toBuilder().externalId("CRM-1").name("Muster GmbH").name2(null).build());
    backend.create(acme().toBuilder().externalId("CRM-2").name("Beispiel AG").name2(null).build());
    Customer c = backend.create(acme().toBuilder().externalId("CRM-3").name("Beispiel KG").name2("Muster Vertrieb").build());
    Customer d = backend.create(acme().toBuilder().externalId("muster-4").name("Other Ltd").name2(null).build());
    Customer e = backend.create(acme().toBuilder().externalId("CRM-5").name("muster klein").name2(null).build());
    peer.clearRequests();

    CustomerPage first = backend.search(new SearchQuery("Muster", 2, null));
    assertThat(first.customers()).extracting(Customer::customerNumber).containsExactly(a.customerNumber(), c.customerNumber());
    assertThat(first.customers().get(0)).usingRecursiveComparison().ignoringFields("sapMessages")
        .isEqualTo(backend.read(a.customerNumber()));
    assertThat(first.nextCursor()).isEqualTo(c.customerNumber());
    peer.clearRequests();

    CustomerPage second = backend.search(new SearchQuery("Muster", 2, first.nextCursor()));
    // Names match ignoring case (issue 15): "muster klein" is found by "Muster".
    assertThat(second.customers()).extracting(Customer::customerNumber).containsExactly(d.customerNumber(), e.customerNumber());
    assertThat(second.customers().get(0).externalId()).isEqualTo("MUSTER-4");
    assertThat(second.nextCursor()).isNull();
    assertThat(peer.requests()).containsExactly("GET /A_BusinessPartner");
  }

  @Test
  void withoutTextEveryCustomerIsListedAndTheExternalIdIsSearchedInUpperCase() throws Exception {
    Customer a = backend.create(acme().toBuilder().externalId("crm-lower").build());
    Customer b = backend.create(acme().toBuilder().externalId("O'BRIEN-7").name("O'Brien Ltd").build());

    CustomerPage all = backend.search(new SearchQuery(null, 1, null));
    assertThat(all.customers()).extracting(Customer::customerNumber).containsExactly(a.customerNumber());
    CustomerPage rest = backend.search(new SearchQuery(null, 1, all.nextCursor()));
    assertThat(rest.customers()).extracting(Customer::customerNumber).containsExactly(b.customerNumber());
    assertThat(rest.nextCursor()).isNull();

    assertThat(backend.search(new SearchQuery("crm-LOW", 50, null)).customers())
        .extracting(Customer::customerNumber).containsExactly(a.customerNumber());
    assertThat(backend.search(new SearchQuery("O'Brien", 50, null)).customers())
        .extracting(Customer::customerNumber).containsExactly(b.customerNumber());
    assertThat(backend.search(new SearchQuery("nobody", 50, null))).isEqualTo(new CustomerPage(java.util.List.of(), null));
  }

  @Test
  void anUnknownCustomerIsNotFound() {
    SapException unknown = catchThrowableOfType(SapException.class, () -> backend.read("4711"));
    assertThat(unknown.kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(unknown.code()).isEqualTo(SapErrorCodes.NOT_FOUND);
    assertThat(unknown.getMessage()).contains("0000004711");

    assertThat(catchThrowableOfType(SapException.class, () -> backend.read("no such number!")).kind())
        .isEqualTo(Kind.NOT_FOUND);
    assertThat(catchThrowableOfType(SapException.class, () -> backend.update("4711", patchUnchecked("{\"name\":\"X\"}")))
        .kind()).isEqualTo(Kind.NOT_FOUND);
  }

  @Test
  void aWrongPasswordOrClientIsAConfigurationProblemThatNeverShowsThePassword() throws Exception {
    try (ODataBackend wrong = new ODataBackend(settings().withPassword("Wr0ng-Secret!"))) {
      SapException e = catchThrowableOfType(SapException.class, () -> wrong.read("1"));
      assertThat(e.kind()).isEqualTo(Kind.CONFIGURATION);
      assertThat(e.getMessage()).contains("user FERRY").contains("check user/password").doesNotContain("Wr0ng-Secret!");
      assertThat(wrong.toString()).doesNotContain("Wr0ng-Secret!");
    }
    try (ODataBackend otherClient = new ODataBackend(ODataSettings.basic(URI.create(peer.url()), "200", "FERRY", PASSWORD))) {
      assertThat(catchThrowableOfType(SapException.class, () -> otherClient.read("1")).kind()).isEqualTo(Kind.CONFIGURATION);
    }
    peer.denyAuthorization(true);
    SapException denied = catchThrowableOfType(SapException.class, () -> backend.read("1"));
    assertThat(denied.kind()).isEqualTo(Kind.CONFIGURATION);
    assertThat(denied.getMessage()).contains("role for API_BUSINESS_PARTNER");
  }

  @Test
  void diagnoseWalksNetworkLogonCsrfServiceAndAuthorization() {
    SapDiagnosis ok = backend.diagnose();
    assertThat(ok.ok()).isTrue();
    assertThat(ok.backend()).isEqualTo("odata");
    assertThat(ok.target()).isEqualTo(peer.url() + "/?sap-client=100");
    assertThat(ok.checks()).extracting(SapDiagnosis.Check::name)
        .containsExactly("network", "logon", "CSRF", "service", "authorization");
    // An agent that runs sales orders also needs API_SALES_ORDER_SRV beside the business-partner service.
    SapDiagnosis withOrders = backend.diagnose(java.util.Set.of(io.ferry.protocol.Action.SALES_ORDER_CREATE));
    assertThat(withOrders.ok()).isTrue();
    assertThat(withOrders.checks()).extracting(SapDiagnosis.Check::name).endsWith("authorization", "sales-order service");

    try (ODataBackend wrong = new ODataBackend(settings().withPassword("Wr0ng-Secret!"))) {
      SapDiagnosis d = wrong.diagnose();
      assertThat(d.ok()).isFalse();
      assertThat(d.checks()).last().satisfies(c -> {
        assertThat(c.name()).isEqualTo("logon");
        assertThat(c.advice()).contains("check user/password or certificate; locked user");
      });
      assertThat(d.toString()).doesNotContain("Wr0ng-Secret!");
    }

    try (ODataBackend inactive = new ODataBackend(ODataSettings.basic(
        URI.create(peer.url().replace("API_BUSINESS_PARTNER", "API_BUSINESS_PARTNER_X")), "100", "FERRY", PASSWORD))) {
      assertThat(inactive.diagnose().checks()).last().satisfies(c -> {
        assertThat(c.name()).isEqualTo("service");
        assertThat(c.advice()).contains("/IWFND/MAINT_SERVICE");
      });
    }

    peer.denyAuthorization(true);
    assertThat(backend.diagnose().checks()).last().satisfies(c -> {
      assertThat(c.name()).isEqualTo("authorization");
      assertThat(c.advice()).contains("role for API_BUSINESS_PARTNER missing");
    });
  }

  private static CustomerPatch patchUnchecked(String json) {
    try {
      return patch(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
