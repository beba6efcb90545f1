package io.ferry.odatapeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A_BusinessPartner's CreationDate/Time and LastChangeDate/Time over HTTP, as a change watcher reads them:
 * maintained at create and every change, filtered with datetime'…' and time'…' literals, ordered, paged.
 */
class PartnerChangeDatesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static ODataPeer peer;

  private ODataPeerTest.Client client;
  private MovingClock clock;

  /** A clock the test moves; its zone is Berlin's on purpose: the peer writes UTC all the same. */
  static final class MovingClock extends Clock {
    private Instant now;

    MovingClock(String start) {
      now = Instant.parse(start);
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("Europe/Berlin");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return Clock.fixed(now, zone);
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeAll
  static void start() throws IOException {
    peer = ODataPeer.start(ODataPeer.Options.defaults());
  }

  @AfterAll
  static void stop() {
    peer.close();
  }

  @BeforeEach
  void fresh() throws Exception {
    peer.reset();
    clock = new MovingClock("2026-12-06T23:00:00Z");
    peer.useClock(clock);
    client = new ODataPeerTest.Client("FERRY", "ferry-peer", peer);
    client.fetchToken();
  }

  private String create(String searchTerm) throws Exception {
    HttpResponse<String> created = client.send("POST", "/A_BusinessPartner", ODataPeerTest.acme(searchTerm));
    assertThat(created.statusCode()).isEqualTo(201);
    return JSON.readTree(created.body()).at("/d/BusinessPartner").asText();
  }

  private JsonNode read(String partner) throws Exception {
    HttpResponse<String> r = client.send("GET", "/A_BusinessPartner('" + partner + "')", null);
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body()).get("d");
  }

  /** Edm.DateTime in OData V2 JSON: milliseconds since 1970 in UTC. */
  private static String date(String isoDay) {
    return "/Date(" + Instant.parse(isoDay + "T00:00:00Z").toEpochMilli() + ")/";
  }

  /**
   * Edm.Time as an xsd:duration. Olingo writes {@code PT23H0M0S} where SAP Gateway writes {@code PT23H00M00S};
   * both are the same duration, and a client must read either.
   */
  private static Duration time(JsonNode entity, String property) {
    return Duration.parse(entity.get(property).asText());
  }

  private List<String> partners(String query) throws Exception {
    HttpResponse<String> r = client.send("GET", "/A_BusinessPartner?" + query.replace(" ", "%20").replace("'", "%27"), null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    JSON.readTree(r.body()).at("/d/results").forEach(n -> out.add(n.get("BusinessPartner").asText()));
    return out;
  }

  @Test
  void aCreateSetsCreationAndLastChangeToTheSameMomentInUtc() throws Exception {
    String bp = create("CRM-1");
    JsonNode d = read(bp);
    assertThat(d.get("CreationDate").asText()).isEqualTo(date("2026-12-06"));
    assertThat(time(d, "CreationTime")).isEqualTo(Duration.parse("PT23H00M00S"));
    assertThat(d.get("LastChangeDate").asText()).isEqualTo(date("2026-12-06"));
    assertThat(time(d, "LastChangeTime")).isEqualTo(Duration.parse("PT23H00M00S"));
  }

  @Test
  void aPatchMovesLastChangeAndTheEtagButNotCreation() throws Exception {
    String bp = create("CRM-1");
    String etag = client.etag("/A_BusinessPartner('" + bp + "')");
    clock.advance(Duration.ofHours(11).plusMinutes(15).plusSeconds(30)); // 2026-12-07 10:15:30
    HttpResponse<String> patched = client.send("PATCH", "/A_BusinessPartner('" + bp + "')",
        "{\"OrganizationBPName1\":\"Acme AG\"}", "If-Match", etag);
    assertThat(patched.statusCode()).isEqualTo(204);

    JsonNode d = read(bp);
    assertThat(d.get("CreationDate").asText()).isEqualTo(date("2026-12-06"));
    assertThat(time(d, "CreationTime")).isEqualTo(Duration.parse("PT23H00M00S"));
    assertThat(d.get("LastChangeDate").asText()).isEqualTo(date("2026-12-07"));
    assertThat(time(d, "LastChangeTime")).isEqualTo(Duration.parse("PT10H15M30S"));
    assertThat(d.at("/__metadata/etag").asText()).isEqualTo(patched.headers().firstValue("ETag").orElseThrow())
        .isNotEqualTo(etag).contains("2026-12-07T10%3A15%3A30");
    assertThat(d.get("ETag").asText()).startsWith("20261207101530");
  }

  @Test
  void aChangeOfTheAddressIsAChangeOfThePartner() throws Exception {
    String bp = create("CRM-1");
    String etag = client.etag("/A_BusinessPartner('" + bp + "')");
    clock.advance(Duration.ofMinutes(5));
    HttpResponse<String> patched = client.send("PATCH",
        "/A_BusinessPartnerAddress(BusinessPartner='" + bp + "',AddressID='28000')", "{\"CityName\":\"Potsdam\"}");
    assertThat(patched.statusCode()).isEqualTo(204);
    JsonNode d = read(bp);
    assertThat(time(d, "LastChangeTime")).isEqualTo(Duration.parse("PT23H05M00S"));
    assertThat(client.etag("/A_BusinessPartner('" + bp + "')")).isNotEqualTo(etag);
  }

  @Test
  void theWatermarkFilterSelectsPartnersChangedOrCreatedSinceAndOrdersThem() throws Exception {
    String yesterday = create("CRM-Y"); // 2026-12-06 23:00:00
    clock.advance(Duration.ofHours(11)); // 2026-12-07 10:00:00: before the watermark
    String early = create("CRM-E");
    clock.advance(Duration.ofMinutes(15)); // 10:15:00: at the watermark
    String atMark = create("CRM-M");
    clock.advance(Duration.ofHours(22)); // 2026-12-08 08:15:00: a later day, an earlier time
    String etag = client.etag("/A_BusinessPartner('" + yesterday + "')");
    assertThat(client.send("MERGE", "/A_BusinessPartner('" + yesterday + "')", "{\"SearchTerm2\":\"X\"}",
        "If-Match", etag).statusCode()).isEqualTo(204);

    String watermark = "(LastChangeDate gt datetime'2026-12-07T00:00:00') or (LastChangeDate eq "
        + "datetime'2026-12-07T00:00:00' and LastChangeTime ge time'PT10H15M00S')";
    String order = "&$orderby=LastChangeDate,LastChangeTime";
    assertThat(partners("$filter=" + watermark + order)).containsExactly(atMark, yesterday);
    assertThat(partners("$filter=" + watermark + order + "&$top=1")).containsExactly(atMark);
    assertThat(partners("$filter=" + watermark + order + "&$top=1&$skip=1")).containsExactly(yesterday);
    assertThat(partners("$filter=" + watermark + "&$orderby=LastChangeDate desc,LastChangeTime desc"))
        .containsExactly(yesterday, atMark);

    assertThat(partners("$filter=CreationDate ge datetime'2026-12-07T00:00:00'&$orderby=CreationDate,CreationTime"))
        .containsExactly(early, atMark);
    assertThat(partners("$filter=CreationDate eq datetime'2026-12-07T00:00' and CreationTime lt time'PT10H15M'"))
        .containsExactly(early);
    assertThat(partners("$filter=LastChangeTime le time'PT10H00M00S'&$orderby=BusinessPartner"))
        .containsExactly(yesterday, early);
  }

  @Test
  void serverPagingFollowsTheNextLinkWithTheFilterAndOrderKept() throws Exception {
    try (ODataPeer paged = ODataPeer.start(ODataPeer.Options.defaults().withPageSize(1))) {
      paged.useClock(clock);
      ODataPeerTest.Client c = new ODataPeerTest.Client("FERRY", "ferry-peer", paged);
      c.fetchToken();
      List<String> created = new ArrayList<>();
      for (String term : List.of("CRM-1", "CRM-2", "CRM-3")) {
        clock.advance(Duration.ofMinutes(10)); // 23:10, 23:20, 23:30
        HttpResponse<String> r = c.send("POST", "/A_BusinessPartner", ODataPeerTest.acme(term));
        created.add(JSON.readTree(r.body()).at("/d/BusinessPartner").asText());
      }
      String url = paged.url() + "/A_BusinessPartner?$filter=" + "LastChangeDate eq datetime'2026-12-06T00:00:00' "
          + "and LastChangeTime gt time'PT23H10M00S'&$orderby=LastChangeDate desc,LastChangeTime desc";
      List<String> seen = new ArrayList<>();
      String next = url.replace(" ", "%20").replace("'", "%27");
      while (next != null) {
        JsonNode d = JSON.readTree(c.sendTo(next, "GET", null).body()).get("d");
        d.get("results").forEach(n -> seen.add(n.get("BusinessPartner").asText()));
        next = d.hasNonNull("__next") ? d.get("__next").asText() : null;
      }
      assertThat(seen).containsExactly(created.get(2), created.get(1));
    }
  }

  @Test
  void aZoneSuffixOnADatetimeLiteralIsRefusedAsOlingoRefusesIt() throws Exception {
    create("CRM-1");
    HttpResponse<String> r = client.send("GET",
        "/A_BusinessPartner?$filter=LastChangeDate%20ge%20datetime%272026-12-07T00:00:00Z%27", null);
    assertThat(r.statusCode()).isEqualTo(400);
  }

  @Test
  void aDirectChangeMovesLastChangeAndTheEtagSoAStaleIfMatchFails() throws Exception {
    String bp = create("CRM-1");
    String etag = client.etag("/A_BusinessPartner('" + bp + "')");
    clock.advance(Duration.ofHours(1));
    peer.changePartnerDirectly(bp.replaceFirst("^0+", ""), Map.of("OrganizationBPName1", "Acme Clerk GmbH"));

    JsonNode d = read(bp);
    assertThat(d.get("OrganizationBPName1").asText()).isEqualTo("Acme Clerk GmbH");
    assertThat(d.get("LastChangeDate").asText()).isEqualTo(date("2026-12-07"));
    assertThat(time(d, "LastChangeTime")).isEqualTo(Duration.parse("PT00H00M00S"));
    assertThat(time(d, "CreationTime")).isEqualTo(Duration.parse("PT23H00M00S"));
    assertThat(client.send("PATCH", "/A_BusinessPartner('" + bp + "')", "{\"SearchTerm2\":\"X\"}",
        "If-Match", etag).statusCode()).isEqualTo(412);

    assertThatThrownBy(() -> peer.changePartnerDirectly(bp, Map.of("LastChangeDate", "x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> peer.changePartnerDirectly("999", Map.of("OrganizationBPName1", "x")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
