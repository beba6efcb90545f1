package io.ferry.odatapeer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The peer over real HTTP, as an OData client of SAP Gateway sees it. */
class ODataPeerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static ODataPeer peer;

  private Client client;

  @BeforeAll
  static void start() throws IOException {
    peer = ODataPeer.start(ODataPeer.Options.defaults());
  }

  @AfterAll
  static void stop() {
    peer.close();
  }

  @BeforeEach
  void fresh() {
    peer.reset();
    client = new Client("FERRY", "ferry-peer");
  }

  static String acme(String searchTerm) {
    return """
        {"BusinessPartnerCategory":"2","BusinessPartnerGrouping":"BP02","OrganizationBPName1":"Acme GmbH",
         "OrganizationBPName2":"Sales office","SearchTerm1":"%s","CorrespondenceLanguage":"DE",
         "to_BusinessPartnerAddress":{"results":[{"CityName":"Berlin","PostalCode":"10115","StreetName":"Hauptstrasse",
           "HouseNumber":"1","Country":"DE","Language":"DE",
           "to_EmailAddress":{"results":[{"EmailAddress":"info@acme.example"}]},
           "to_PhoneNumber":{"results":[{"PhoneNumber":"+49 30 123456"}]}}]},
         "to_BusinessPartnerRole":{"results":[{"BusinessPartnerRole":"FLCU00"},{"BusinessPartnerRole":"FLCU01"}]},
         "to_Customer":{"to_CustomerSalesArea":{"results":[{"SalesOrganization":"1000","DistributionChannel":"10",
           "Division":"00","Currency":"EUR"}]},"to_CustomerCompany":{"results":[{"CompanyCode":"1000"}]}}}
        """.formatted(searchTerm);
  }

  /** Issue 15: `ferry demo --sap odata` kept nothing in its --data-dir; with a data file the peer's system survives a restart. */
  @Test
  void withADataFileItsPartnersAndNumberRangeSurviveARestart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("odata-peer.dat");
    String number;
    String etag;
    try (ODataPeer first = ODataPeer.start(ODataPeer.Options.defaults(), file)) {
      assertThat(first.nextCustomerNumber()).isEqualTo("0000100000");
      Client c = new Client("FERRY", "ferry-peer", first);
      c.fetchToken();
      HttpResponse<String> created = c.send("POST", "/A_BusinessPartner", acme("CRM-1"));
      assertThat(created.statusCode()).isEqualTo(201);
      number = JSON.readTree(created.body()).at("/d/BusinessPartner").asText();
      etag = c.etag("/A_BusinessPartner('" + number + "')");
      assertThat(first.nextCustomerNumber()).isEqualTo("0000100001");
    }
    assertThat(file).exists();
    try (ODataPeer second = ODataPeer.start(ODataPeer.Options.defaults(), file)) {
      Client c = new Client("FERRY", "ferry-peer", second);
      HttpResponse<String> read = c.send("GET", "/A_BusinessPartner('" + number + "')?$expand=to_BusinessPartnerAddress", null);
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(read.body()).contains("Acme GmbH", "Berlin");
      assertThat(read.headers().firstValue("ETag")).contains(etag);
      assertThat(second.nextCustomerNumber()).as("the number range goes on").isEqualTo("0000100001");
    }
  }

  @Test
  void servesTheEdmxAsMetadataToALoggedOnUserOfItsClient() throws Exception {
    HttpResponse<String> metadata = client.send("GET", "/$metadata", null);
    assertThat(metadata.statusCode()).isEqualTo(200);
    assertThat(metadata.body()).contains("EntityType Name=\"A_BusinessPartnerType\"").contains("sap:creatable");

    HttpResponse<String> wrongPassword = new Client("FERRY", "nope").send("GET", "/$metadata", null);
    assertThat(wrongPassword.statusCode()).isEqualTo(401);
    assertThat(wrongPassword.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));

    assertThat(client.send("GET", "/$metadata?sap-client=200", null).statusCode()).isEqualTo(401);
    assertThat(client.send("GET", "/$metadata?sap-client=100", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aModifyingRequestNeedsTheTokenAndTheSessionCookieItWasFetchedWith() throws Exception {
    HttpResponse<String> noToken = client.send("POST", "/A_BusinessPartner", acme("CRM-1"));
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.headers().firstValue("X-CSRF-Token")).hasValue("Required");

    String token = client.fetchToken();
    Client otherSession = new Client("FERRY", "ferry-peer");
    otherSession.token = token;
    assertThat(otherSession.send("POST", "/A_BusinessPartner", acme("CRM-1")).statusCode()).isEqualTo(403);

    assertThat(client.send("POST", "/A_BusinessPartner", acme("CRM-1")).statusCode()).isEqualTo(201);

    peer.invalidateCsrfTokens();
    HttpResponse<String> stale = client.send("POST", "/A_BusinessPartner", acme("CRM-2"));
    assertThat(stale.statusCode()).isEqualTo(403);
    assertThat(stale.headers().firstValue("X-CSRF-Token")).hasValue("Required");
    assertThat(client.fetchToken()).isNotEqualTo(token);
    assertThat(client.send("POST", "/A_BusinessPartner", acme("CRM-2")).statusCode()).isEqualTo(201);
    assertThat(peer.csrfFetches()).isEqualTo(2);
  }

  @Test
  void aDeepInsertCreatesThePartnerItsCustomerAndAllChildrenInOneRequest() throws Exception {
    client.fetchToken();
    HttpResponse<String> created = client.send("POST", "/A_BusinessPartner", acme("crm-1"));

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).hasValue(peer.url() + "/A_BusinessPartner('100000')");
    JsonNode d = JSON.readTree(created.body()).get("d");
    assertThat(d.get("BusinessPartner").asText()).isEqualTo("100000");
    assertThat(d.get("Customer").asText()).isEqualTo("100000");
    assertThat(d.get("SearchTerm1").asText()).isEqualTo("CRM-1");
    assertThat(d.at("/__metadata/etag").asText()).startsWith("W/\"datetime'");
    assertThat(d.at("/to_BusinessPartnerAddress/results/0/to_EmailAddress/results/0/EmailAddress").asText())
        .isEqualTo("info@acme.example");
    JsonNode message = JSON.readTree(created.headers().firstValue("sap-message").orElseThrow());
    assertThat(message.get("severity").asText()).isEqualTo("success");
    assertThat(message.get("code").asText()).matches("[A-Z_]+/\\d{3}");
    assertThat(message.at("/details/0/message").asText()).contains("Customer 100000");

    HttpResponse<String> read = client.send("GET", "/A_BusinessPartner('100000')?$expand="
        + "to_BusinessPartnerAddress/to_PhoneNumber,to_BusinessPartnerRole,to_Customer/to_CustomerSalesArea,"
        + "to_Customer/to_CustomerCompany", null);
    assertThat(read.statusCode()).isEqualTo(200);
    JsonNode bp = JSON.readTree(read.body()).get("d");
    assertThat(bp.at("/to_BusinessPartnerAddress/results/0/CityName").asText()).isEqualTo("Berlin");
    assertThat(bp.at("/to_BusinessPartnerAddress/results/0/to_PhoneNumber/results/0/PhoneNumber").asText()).isEqualTo("+49 30 123456");
    assertThat(bp.at("/to_BusinessPartnerRole/results")).hasSize(2);
    assertThat(bp.at("/to_Customer/to_CustomerSalesArea/results/0/Currency").asText()).isEqualTo("EUR");
    assertThat(bp.at("/to_Customer/to_CustomerSalesArea/results/0/__metadata/etag").isMissingNode()).isTrue();
    assertThat(bp.at("/to_Customer/to_CustomerCompany/results/0/CompanyCode").asText()).isEqualTo("1000");
    assertThat(read.headers().firstValue("ETag")).hasValue(bp.at("/__metadata/etag").asText());
    assertThat(peer.entity("A_CustomerSalesArea", "0000100000", "1000", "10", "00")).isPresent();
  }

  @Test
  void mergeAndPatchChangeOnlyWhatIsSentAndAnswer204WithANewEtag() throws Exception {
    client.fetchToken();
    client.send("POST", "/A_BusinessPartner", acme("CRM-1"));
    String etag = client.etag("/A_BusinessPartner('0000100000')");

    HttpResponse<String> merged = client.send("MERGE", "/A_BusinessPartner('0000100000')",
        "{\"OrganizationBPName1\":\"Acme AG\"}", "If-Match", etag);
    assertThat(merged.statusCode()).isEqualTo(204);
    assertThat(merged.body()).isEmpty();
    String newEtag = merged.headers().firstValue("ETag").orElseThrow();
    assertThat(newEtag).isNotEqualTo(etag);
    assertThat(peer.entity("A_BusinessPartner", "0000100000").orElseThrow())
        .containsEntry("OrganizationBPName1", "Acme AG")
        .containsEntry("OrganizationBPName2", "Sales office");

    HttpResponse<String> patched = client.send("PATCH", "/A_BusinessPartner('0000100000')",
        "{\"OrganizationBPName2\":\"\"}", "If-Match", newEtag);
    assertThat(patched.statusCode()).isEqualTo(204);
    assertThat(peer.entity("A_BusinessPartner", "0000100000").orElseThrow()).containsEntry("OrganizationBPName2", "");

    HttpResponse<String> tunnelled = client.send("POST", "/A_BusinessPartner('0000100000')",
        "{\"OrganizationBPName1\":\"Acme SE\"}", "If-Match", "*", "X-HTTP-Method", "MERGE");
    assertThat(tunnelled.statusCode()).isEqualTo(204);
    assertThat(peer.entity("A_BusinessPartner", "0000100000").orElseThrow()).containsEntry("OrganizationBPName1", "Acme SE");

    HttpResponse<String> replaced = client.send("PUT", "/A_BusinessPartner('0000100000')",
        "{\"BusinessPartnerCategory\":\"2\",\"OrganizationBPName1\":\"Acme KG\"}", "If-Match", "*");
    assertThat(replaced.statusCode()).isEqualTo(204);
    assertThat(peer.entity("A_BusinessPartner", "0000100000").orElseThrow())
        .containsEntry("OrganizationBPName1", "Acme KG")
        .containsEntry("BusinessPartner", "0000100000")
        .doesNotContainKey("SearchTerm1");
  }

  @Test
  void optionsAreValidatedAndNeverShowThePassword() {
    ODataPeer.Options o = ODataPeer.Options.defaults().withCredentials("DEMO", "Pw-123456").withClient("200");
    assertThat(o.toString()).contains("DEMO").contains("200").doesNotContain("Pw-123456");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> o.withClient("1"))
        .hasMessageContaining("client must be three digits");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> o.withPort(70_000)).hasMessageContaining("port");
    assertThat(peer.url()).matches("http://127\\.0\\.0\\.1:\\d+/sap/opu/odata/sap/API_BUSINESS_PARTNER");
  }

  @Test
  void anUpdateWithoutIfMatchIs428AndWithAStaleEtag412() throws Exception {
    client.fetchToken();
    client.send("POST", "/A_BusinessPartner", acme("CRM-1"));
    String partner = "/A_BusinessPartner('100000')";
    String etag = client.etag(partner);

    HttpResponse<String> missing = client.send("MERGE", partner, "{\"OrganizationBPName1\":\"Acme AG\"}");
    assertThat(missing.statusCode()).isEqualTo(428);
    assertThat(JSON.readTree(missing.body()).at("/error/message/value").asText()).contains("If-Match");

    peer.changeConcurrentlyBeforeNextUpdate();
    HttpResponse<String> raced = client.send("MERGE", partner, "{\"OrganizationBPName1\":\"Acme AG\"}", "If-Match", etag);
    assertThat(raced.statusCode()).isEqualTo(412);
    assertThat(JSON.readTree(raced.body()).at("/error/code").asText()).isNotBlank();
    assertThat(client.send("MERGE", partner, "{\"OrganizationBPName1\":\"Acme AG\"}", "If-Match", etag).statusCode())
        .isEqualTo(412);

    assertThat(client.send("MERGE", partner, "{\"OrganizationBPName1\":\"Acme AG\"}", "If-Match", client.etag(partner))
        .statusCode()).isEqualTo(204);
    assertThat(peer.entity("A_BusinessPartner", "100000").orElseThrow()).containsEntry("OrganizationBPName1", "Acme AG");
  }

  @Test
  void onlyEntitySetsWhoseMetadataHasAnEtagPropertyAnswerEtagsAndNeedIfMatch() throws Exception {
    client.fetchToken();
    client.send("POST", "/A_BusinessPartner", acme("CRM-1"));
    String area = "/A_CustomerSalesArea(Customer='100000',SalesOrganization='1000',DistributionChannel='10',Division='00')";

    HttpResponse<String> read = client.send("GET", area, null);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.headers().firstValue("ETag")).isEmpty();
    assertThat(JSON.readTree(read.body()).at("/d/__metadata/etag").isMissingNode()).isTrue();
    assertThat(client.send("GET", "/A_BusinessPartner('100000')", null).headers().firstValue("ETag")).isPresent();

    HttpResponse<String> merged = client.send("MERGE", area, "{\"Currency\":\"USD\"}");
    assertThat(merged.statusCode()).isEqualTo(204);
    assertThat(merged.headers().firstValue("ETag")).isEmpty();
    assertThat(peer.entity("A_CustomerSalesArea", "100000", "1000", "10", "00").orElseThrow()).containsEntry("Currency", "USD");
  }

  @Test
  void withAlphaConversionNumbersAreShownUnpaddedAndEitherFormFindsThem() throws Exception {
    client.fetchToken();
    client.send("POST", "/A_BusinessPartner", acme("CRM-1"));

    assertThat(peer.entity("A_BusinessPartner", "100000").orElseThrow()).containsEntry("BusinessPartner", "0000100000");
    for (String number : new String[] {"100000", "0000100000"}) {
      assertThat(client.send("GET", "/A_BusinessPartner('" + number + "')", null).statusCode()).isEqualTo(200);
      JsonNode found = JSON.readTree(client.send("GET", "/A_BusinessPartner?$filter=" + enc("Customer eq '" + number + "'")
          + "&$expand=to_Customer/to_CustomerSalesArea", null).body());
      assertThat(found.at("/d/results")).extracting(n -> n.get("Customer").asText()).containsExactly("100000");
      assertThat(found.at("/d/results/0/to_Customer/to_CustomerSalesArea/results/0/Customer").asText()).isEqualTo("100000");
      assertThat(client.send("GET", "/A_Customer('" + number + "')/to_CustomerSalesArea", null).statusCode()).isEqualTo(200);
    }
    assertThat(client.send("MERGE", "/A_BusinessPartner('0000100000')", "{\"BusinessPartner\":\"100000\"}", "If-Match", "*")
        .statusCode()).isEqualTo(204);
  }

  @Test
  void withoutAlphaConversionOnlyTheFormTheServiceShowsMatches() throws Exception {
    try (ODataPeer plain = ODataPeer.start(ODataPeer.Options.defaults().withAlphaConversion(false))) {
      Client c = new Client("FERRY", "ferry-peer", plain);
      c.fetchToken();
      HttpResponse<String> created = c.send("POST", "/A_BusinessPartner", acme("CRM-1"));
      assertThat(JSON.readTree(created.body()).at("/d/Customer").asText()).isEqualTo("100000");
      assertThat(plain.entity("A_BusinessPartner", "100000").orElseThrow()).containsEntry("BusinessPartner", "100000");

      assertThat(c.send("GET", "/A_BusinessPartner('100000')", null).statusCode()).isEqualTo(200);
      assertThat(c.send("GET", "/A_BusinessPartner('0000100000')", null).statusCode()).isEqualTo(404);
      assertThat(JSON.readTree(c.send("GET", "/A_BusinessPartner?$filter=" + enc("Customer eq '0000100000'"), null).body())
          .at("/d/results")).isEmpty();
      assertThat(JSON.readTree(c.send("GET", "/A_BusinessPartner?$filter=" + enc("Customer eq '100000'"), null).body())
          .at("/d/results")).hasSize(1);
    }
  }

  @Test
  void anExpiredSessionRefusesItsTokenAndTheNextFetchAnswersANewCookie() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(peer.url() + "/"))
        .header("Authorization", client.authorization).header("X-CSRF-Token", "Fetch").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    String cookie = sessionCookie(first);
    String token = first.headers().firstValue("X-CSRF-Token").orElseThrow();
    assertThat(post(http, cookie, token).statusCode()).isEqualTo(201);

    peer.expireSessions();
    HttpResponse<String> refused = post(http, cookie, token);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("X-CSRF-Token")).hasValue("Required");

    HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(peer.url() + "/"))
        .header("Authorization", client.authorization).header("Cookie", cookie).header("X-CSRF-Token", "Fetch").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    String newCookie = sessionCookie(again);
    assertThat(newCookie).isNotEqualTo(cookie);
    String newToken = again.headers().firstValue("X-CSRF-Token").orElseThrow();
    assertThat(post(http, cookie, newToken).statusCode()).as("the new token with the old cookie").isEqualTo(403);
    assertThat(post(http, newCookie, newToken).statusCode()).isEqualTo(201);
  }

  private HttpResponse<String> post(HttpClient http, String cookie, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(peer.url() + "/A_BusinessPartner"))
        .header("Authorization", client.authorization).header("Cookie", cookie).header("X-CSRF-Token", token)
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(acme("CRM-1"))).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String sessionCookie(HttpResponse<String> r) {
    return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("SAP_SESSIONID_"))
        .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
  }

  @Test
  void missingMandatoryDataIsRefusedWithSapErrorJsonAndNothingIsCreated() throws Exception {
    client.fetchToken();
    String incomplete = acme("CRM-1").replace("\"Language\":\"DE\",", "").replace("\"Currency\":\"EUR\"", "\"Currency\":\"\"");

    HttpResponse<String> refused = client.send("POST", "/A_BusinessPartner", incomplete);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
    JsonNode error = JSON.readTree(refused.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("FSBP_ECC/030");
    assertThat(error.at("/message/lang").asText()).isEqualTo("en");
    assertThat(error.at("/innererror/errordetails")).extracting(n -> n.get("code").asText())
        .containsExactly("FSBP_ECC/030", "CVI_API/003");
    assertThat(error.at("/innererror/errordetails/1/severity").asText()).isEqualTo("error");
    assertThat(peer.entity("A_BusinessPartner", "0000100000")).isEmpty();

    HttpResponse<String> tooLong = client.send("POST", "/A_BusinessPartner",
        acme("CRM-1").replace("Acme GmbH", "A".repeat(41)));
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(tooLong.body()).at("/error/message/value").asText()).contains("MaxLength=40");

    assertThat(JSON.readTree(client.send("POST", "/A_BusinessPartner", acme("CRM-1")).body()).at("/d/BusinessPartner").asText())
        .isEqualTo("100000");
  }

  @Test
  void filterFindsPartnersBySearchTermWithQuotesEscaped() throws Exception {
    client.fetchToken();
    client.send("POST", "/A_BusinessPartner", acme("CRM-1"));
    client.send("POST", "/A_BusinessPartner", acme("O'BRIEN"));

    JsonNode one = JSON.readTree(client.send("GET", "/A_BusinessPartner?$filter=" + enc("SearchTerm1 eq 'CRM-1'")
        + "&$select=BusinessPartner", null).body());
    assertThat(one.at("/d/results")).extracting(n -> n.get("BusinessPartner").asText()).containsExactly("100000");

    JsonNode quoted = JSON.readTree(client.send("GET", "/A_BusinessPartner?$filter=" + enc("SearchTerm1 eq 'O''BRIEN'"), null).body());
    assertThat(quoted.at("/d/results")).extracting(n -> n.get("BusinessPartner").asText()).containsExactly("100001");

    JsonNode none = JSON.readTree(client.send("GET", "/A_BusinessPartner?$filter=" + enc("SearchTerm1 eq 'NOPE' or Customer eq 'X'"), null).body());
    assertThat(none.at("/d/results")).isEmpty();
    assertThat(client.send("GET", "/A_BusinessPartner/$count?$filter=" + enc("startswith(SearchTerm1,'CRM')"), null).body())
        .isEqualTo("1");
  }

  @Test
  void orderbyTopAndAKeyComparisonPageThroughPartnersInCustomerOrder() throws Exception {
    client.fetchToken();
    for (String term : new String[] {"CRM-1", "CRM-2", "CRM-3"}) {
      client.send("POST", "/A_BusinessPartner", acme(term));
    }

    JsonNode descending = JSON.readTree(client.send("GET", "/A_BusinessPartner?$orderby=" + enc("Customer desc")
        + "&$select=Customer", null).body());
    assertThat(descending.at("/d/results")).extracting(n -> n.get("Customer").asText())
        .containsExactly("100002", "100001", "100000");

    JsonNode page = JSON.readTree(client.send("GET", "/A_BusinessPartner?$filter="
        + enc("substringof('Acme',OrganizationBPName1) and Customer gt '100000'") + "&$orderby=Customer&$top=1"
        + "&$select=Customer", null).body());
    assertThat(page.at("/d/results")).extracting(n -> n.get("Customer").asText()).containsExactly("100001");

    assertThat(client.send("GET", "/A_BusinessPartner?$orderby=" + enc("NoSuchProperty"), null).statusCode())
        .isEqualTo(400);
  }

  @Test
  void withAPageSizeCollectionsArePagedWithNextLinksThatKeepTheQuery() throws Exception {
    try (ODataPeer paged = ODataPeer.start(ODataPeer.Options.defaults().withPageSize(2))) {
      Client c = new Client("FERRY", "ferry-peer", paged);
      c.fetchToken();
      for (int i = 1; i <= 5; i++) {
        assertThat(c.send("POST", "/A_BusinessPartner", acme("CRM-" + i)).statusCode()).isEqualTo(201);
      }
      String query = "/A_BusinessPartner?$filter=" + enc("startswith(SearchTerm1,'CRM')")
          + "&$orderby=BusinessPartner&$select=BusinessPartner&$inlinecount=allpages";
      java.util.List<String> seen = new java.util.ArrayList<>();
      JsonNode page = JSON.readTree(c.send("GET", query, null).body());
      assertThat(page.at("/d/__count").asText()).isEqualTo("5");
      int pages = 1;
      page.at("/d/results").forEach(n -> seen.add(n.get("BusinessPartner").asText()));
      while (page.at("/d/__next").isTextual()) {
        String next = page.at("/d/__next").asText();
        assertThat(next).startsWith(paged.url() + "/A_BusinessPartner?").contains("$skiptoken=", "$orderby=BusinessPartner");
        HttpResponse<String> r = c.sendTo(next, "GET", null);
        assertThat(r.statusCode()).isEqualTo(200);
        page = JSON.readTree(r.body());
        page.at("/d/results").forEach(n -> seen.add(n.get("BusinessPartner").asText()));
        pages++;
      }
      assertThat(pages).isEqualTo(3);
      assertThat(seen).containsExactly("100000", "100001", "100002", "100003", "100004");

      // $top within paging: three rows in pages of two, and no link past the third.
      JsonNode top = JSON.readTree(c.send("GET", "/A_BusinessPartner?$orderby=BusinessPartner&$top=3&$skip=1", null)
          .body());
      assertThat(top.at("/d/results")).hasSize(2);
      JsonNode rest = JSON.readTree(c.sendTo(top.at("/d/__next").asText(), "GET", null).body());
      assertThat(rest.at("/d/results")).extracting(n -> n.get("BusinessPartner").asText()).containsExactly("100003");
      assertThat(rest.at("/d/__next").isMissingNode()).isTrue();
      assertThat(c.send("GET", "/A_BusinessPartner?$skiptoken=x", null).statusCode()).isEqualTo(400);
    }
    // Without a page size (the default) every row comes at once.
    client.fetchToken();
    for (int i = 1; i <= 3; i++) {
      client.send("POST", "/A_BusinessPartner", acme("CRM-" + i));
    }
    JsonNode all = JSON.readTree(client.send("GET", "/A_BusinessPartner", null).body());
    assertThat(all.at("/d/results")).hasSize(3);
    assertThat(all.at("/d/__next").isMissingNode()).isTrue();
  }

  @Test
  void childrenCanBeCreatedThroughNavigationAndDeleted() throws Exception {
    client.fetchToken();
    client.send("POST", "/A_BusinessPartner", acme("CRM-1"));
    String address = "/A_BusinessPartnerAddress(BusinessPartner='0000100000',AddressID='28000')";

    HttpResponse<String> created = client.send("POST", address + "/to_EmailAddress", "{\"EmailAddress\":\"sales@acme.example\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(JSON.readTree(created.body()).at("/d/OrdinalNumber").asText()).isEqualTo("002");

    String email = "/A_AddressEmailAddress(AddressID='28000',Person='',OrdinalNumber='002')";
    assertThat(client.send("DELETE", email, null).statusCode()).as("no ETag on e-mail addresses, so no If-Match").isEqualTo(204);
    assertThat(client.send("GET", email, null).statusCode()).isEqualTo(404);

    HttpResponse<String> customerAlone = client.send("POST", "/A_Customer", "{\"Customer\":\"42\"}");
    assertThat(customerAlone.statusCode()).isEqualTo(405);
  }

  @Test
  void faultHooksAnswer503UnknownServices404AndMissingAuthorization403() throws Exception {
    peer.failNextRequests(2);
    assertThat(client.send("GET", "/A_BusinessPartner", null).statusCode()).isEqualTo(503);
    assertThat(client.send("GET", "/A_BusinessPartner", null).statusCode()).isEqualTo(503);
    assertThat(client.send("GET", "/A_BusinessPartner", null).statusCode()).isEqualTo(200);

    HttpResponse<String> unknown = client.sendTo(peer.url().replace("API_BUSINESS_PARTNER", "API_NOPE") + "/", "GET", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).at("/error/code").asText()).isEqualTo("/IWFND/MED/170");

    peer.denyAuthorization(true);
    HttpResponse<String> denied = client.send("GET", "/A_BusinessPartner", null);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.headers().firstValue("X-CSRF-Token")).isEmpty();

    assertThat(peer.requests()).contains("GET /A_BusinessPartner");
  }

  private static String enc(String filter) {
    return filter.replace(" ", "%20").replace("'", "%27");
  }

  /** A minimal OData client: basic authentication, a cookie jar, the CSRF token once fetched. */
  static final class Client {
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    private final String authorization;
    private final ODataPeer target;
    String token;

    Client(String user, String password) {
      this(user, password, peer);
    }

    Client(String user, String password, ODataPeer target) {
      this.target = target;
      authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    String fetchToken() throws Exception {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(target.url() + "/"))
          .header("Authorization", authorization).header("X-CSRF-Token", "Fetch").GET().build(),
          HttpResponse.BodyHandlers.ofString());
      token = r.headers().firstValue("X-CSRF-Token").orElseThrow();
      return token;
    }

    String etag(String path) throws Exception {
      return send("GET", path, null).headers().firstValue("ETag").orElseThrow();
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
      return sendTo(target.url() + path, method, body, headers);
    }

    HttpResponse<String> sendTo(String url, String method, String body, String... headers) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
          .header("Authorization", authorization)
          .header("Accept", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      if (body != null) {
        b.header("Content-Type", "application/json");
      }
      if (token != null) {
        b.header("X-CSRF-Token", token);
      }
      for (int i = 0; i < headers.length; i += 2) {
        b.header(headers[i], headers[i + 1]);
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }
}
