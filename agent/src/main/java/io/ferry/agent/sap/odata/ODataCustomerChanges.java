package io.ferry.agent.sap.odata;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.agent.changes.CustomerChangePort;
import io.ferry.agent.changes.FoundChange;
import io.ferry.agent.sap.SapConversions;
import io.ferry.agent.sap.SapException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Customers' changes on API_BUSINESS_PARTNER: the partners that are customers ({@code Customer gt ''}) whose
 * {@code LastChangeDate}/{@code LastChangeTime} (changed) or {@code CreationDate}/{@code CreationTime} (created) is at
 * or after the time asked, ordered by it, paged with {@code $top}/{@code $skip} or SAP's {@code __next} link. Only
 * the properties needed are selected; the watcher reads each customer as a {@code customer.read} job does.
 */
final class ODataCustomerChanges implements CustomerChangePort {

  /** One GET answered as parsed JSON (the backend's error mapping included). */
  @FunctionalInterface
  interface Fetch {
    JsonNode get(HttpUrl url, String action) throws SapException;
  }

  static final int PAGE = 200;
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'00:00:00");
  private static final Pattern LEGACY_DATE = Pattern.compile("/Date\\((-?\\d+)([+-]\\d+)?\\)/");

  private final ODataClient client;
  private final Fetch fetch;
  private final int pageSize;

  ODataCustomerChanges(ODataClient client, Fetch fetch) {
    this(client, fetch, PAGE);
  }

  /** @param pageSize partners per request (a test pages with a few) */
  ODataCustomerChanges(ODataClient client, Fetch fetch, int pageSize) {
    this.client = client;
    this.fetch = fetch;
    this.pageSize = pageSize;
  }

  @Override
  public List<FoundChange> since(LocalDateTime from) throws SapException {
    List<FoundChange> found = new ArrayList<>();
    for (JsonNode row : rows("CreationDate", "CreationTime", from)) {
      LocalDateTime at = at(row, "CreationDate", "CreationTime");
      if (at != null) {
        found.add(new FoundChange(number(row), at, true));
      }
    }
    for (JsonNode row : rows("LastChangeDate", "LastChangeTime", from)) {
      LocalDateTime at = at(row, "LastChangeDate", "LastChangeTime");
      // A service that stamps the creation as the last change too: that change is the creation.
      if (at != null && !at.equals(at(row, "CreationDate", "CreationTime"))) {
        found.add(new FoundChange(number(row), at, false));
      }
    }
    return found;
  }

  private List<JsonNode> rows(String dateProperty, String timeProperty, LocalDateTime from) throws SapException {
    String day = "datetime'" + DATE.format(from.toLocalDate()) + "'";
    LocalTime t = from.toLocalTime();
    String time = String.format("time'PT%02dH%02dM%02dS'", t.getHour(), t.getMinute(), t.getSecond());
    String filter = "Customer gt '' and (" + dateProperty + " gt " + day + " or (" + dateProperty + " eq " + day
        + " and " + timeProperty + " ge " + time + "))";
    String action = "reading changed customers";
    List<JsonNode> rows = new ArrayList<>();
    int skip = 0;
    boolean followed = false;
    HttpUrl url = page(filter, dateProperty, timeProperty, skip);
    while (true) {
      JsonNode d = fetch.get(url, action).path("d");
      List<JsonNode> page = PartnerMapping.rows(d.isArray() ? d : d.path("results"));
      for (JsonNode row : page) {
        if (PartnerMapping.text(row, "Customer") != null) {
          rows.add(row);
        }
      }
      String link = PartnerMapping.text(d, "__next");
      if (link != null) {
        // SAP cut the page short (server-side paging): its link continues where it stopped.
        HttpUrl next = url.resolve(link);
        if (next == null) {
          throw ODataErrors.configuration("SAP answered " + action + " with a __next link that is not a URL",
              List.of());
        }
        url = next;
        followed = true;
        continue;
      }
      if (followed || page.size() < pageSize) {
        return rows;
      }
      skip += pageSize;
      url = page(filter, dateProperty, timeProperty, skip);
    }
  }

  private HttpUrl page(String filter, String dateProperty, String timeProperty, int skip) {
    return client.url(ODataBackend.PARTNERS)
        .addQueryParameter("$filter", filter)
        .addQueryParameter("$orderby", dateProperty + "," + timeProperty + ",BusinessPartner")
        .addQueryParameter("$select", "BusinessPartner,Customer,CreationDate,CreationTime,LastChangeDate,"
            + "LastChangeTime")
        .addQueryParameter("$top", Integer.toString(pageSize))
        .addQueryParameter("$skip", Integer.toString(skip))
        .build();
  }

  /** The partner's customer number as Ferry answers it (leading zeros), however the service writes it. */
  private static String number(JsonNode row) {
    String customer = PartnerMapping.text(row, "Customer");
    try {
      return SapConversions.toExternalCustomerNumber(customer);
    } catch (IllegalArgumentException e) {
      return customer.strip(); // not a number SAP's conversion knows: as SAP wrote it, the read decides
    }
  }

  /** A date property (OData V2 {@code /Date(ms)/} or ISO) and a time property ({@code PT10H20M30S}); null without a date. */
  static LocalDateTime at(JsonNode row, String dateProperty, String timeProperty) {
    String date = PartnerMapping.text(row, dateProperty);
    if (date == null || date.isBlank()) {
      return null;
    }
    LocalDate day;
    Matcher legacy = LEGACY_DATE.matcher(date);
    if (legacy.matches()) {
      day = LocalDate.ofInstant(Instant.ofEpochMilli(Long.parseLong(legacy.group(1))), ZoneOffset.UTC);
    } else {
      day = LocalDate.parse(date.length() >= 10 ? date.substring(0, 10) : date);
    }
    String time = PartnerMapping.text(row, timeProperty);
    LocalTime t = time == null || time.isBlank() ? LocalTime.MIDNIGHT
        : time.startsWith("P") ? LocalTime.ofSecondOfDay(Duration.parse(time).toSeconds() % 86_400)
        : LocalTime.parse(time);
    return LocalDateTime.of(day, t);
  }
}
