package io.ferry.odatapeer;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The peer's database: rows of the entity sets Ferry uses, each with a version stamp that becomes its
 * ETag, and SAP's number ranges. Relations follow {@link Links}. Callers hold the store's monitor for a
 * whole request ({@code synchronized (store)}), so a deep insert or a check-then-update is atomic, as
 * one SAP LUW would be.
 */
final class Store {

  /** One stored entity. {@code data} holds the EDM property values as Olingo reads and writes them. */
  static final class Row {
    final String set;
    final Map<String, Object> data;
    private String stamp;

    Row(String set, Map<String, Object> data, String stamp) {
      this.set = set;
      this.data = data;
      this.stamp = stamp;
    }

    /** The ETag as SAP Gateway writes it: {@code W/"datetime'2025-01-31T10%3A15%3A00.1234567'"}. */
    String etag() {
      return "W/\"datetime'" + stamp.replace(":", "%3A") + "'\"";
    }

    String stamp() {
      return stamp;
    }
  }

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS");
  private static final DateTimeFormatter ETAG_PROPERTY = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSSSSS");

  private final Map<String, List<String>> keyNames;
  private final Set<String> versioned;
  private final Alpha alpha;
  private final Map<String, Map<List<Object>, Row>> sets = new LinkedHashMap<>();
  private final Clock clock;
  private final long firstNumber;
  private long nextNumber;
  private long nextAddress;
  private LocalDateTime lastStamp = LocalDateTime.MIN;

  /**
   * @param keyNames the key property names of every entity set, in the EDMX's order
   * @param versioned the entity sets whose entity type the metadata puts under concurrency control (an
   *     {@code ETag} property or a property with {@code ConcurrencyMode="Fixed"}): only these have ETags
   * @param firstNumber the first business partner (and customer) number the number range hands out
   */
  Store(Map<String, List<String>> keyNames, Set<String> versioned, Alpha alpha, long firstNumber, Clock clock) {
    this.keyNames = Map.copyOf(keyNames);
    this.versioned = Set.copyOf(versioned);
    this.alpha = alpha;
    this.firstNumber = firstNumber;
    this.clock = clock;
    reset();
  }

  synchronized void reset() {
    sets.clear();
    nextNumber = firstNumber;
    nextAddress = 28_000;
    lastStamp = LocalDateTime.MIN;
  }

  /** The number conversion the service applies (ALPHA on the number properties, or none). */
  Alpha alpha() {
    return alpha;
  }

  /** Whether entities of {@code set} carry an ETag (and so need {@code If-Match} to change). */
  boolean versioned(String set) {
    return versioned.contains(set);
  }

  List<String> keyNames(String set) {
    List<String> names = keyNames.get(set);
    if (names == null) {
      throw new IllegalArgumentException("no entity set " + set);
    }
    return names;
  }

  List<Object> key(String set, Map<String, Object> data) {
    List<Object> key = new ArrayList<>();
    for (String name : keyNames(set)) {
      key.add(data.get(name));
    }
    return key;
  }

  /** {@code A_BusinessPartner('100001')} or {@code A_CustomerCompany(Customer='…',CompanyCode='…')}, as URIs name entities (in the external form). */
  String describe(String set, Map<String, Object> stored) {
    Map<String, Object> data = alpha.output(stored);
    List<String> names = keyNames(set);
    if (names.size() == 1) {
      return set + "('" + data.get(names.get(0)) + "')";
    }
    StringBuilder b = new StringBuilder(set).append('(');
    for (int i = 0; i < names.size(); i++) {
      b.append(i == 0 ? "" : ",").append(names.get(i)).append("='").append(data.get(names.get(i))).append('\'');
    }
    return b.append(')').toString();
  }

  String describe(Row row) {
    return describe(row.set, row.data);
  }

  Optional<Row> find(String set, Map<String, Object> keyValues) {
    return Optional.ofNullable(rows(set).get(key(set, keyValues)));
  }

  List<Row> all(String set) {
    return new ArrayList<>(rows(set).values());
  }

  /** The rows of {@code set} whose properties equal all of {@code values}. */
  List<Row> where(String set, Map<String, Object> values) {
    List<Row> found = new ArrayList<>();
    for (Row r : rows(set).values()) {
      boolean match = true;
      for (Map.Entry<String, Object> e : values.entrySet()) {
        if (!Objects.equals(r.data.get(e.getKey()), e.getValue())) {
          match = false;
          break;
        }
      }
      if (match) {
        found.add(r);
      }
    }
    return found;
  }

  boolean exists(String set, Map<String, Object> data) {
    return rows(set).containsKey(key(set, data));
  }

  Row insert(String set, Map<String, Object> data) {
    List<Object> key = key(set, data);
    if (rows(set).containsKey(key)) {
      throw new IllegalStateException(set + key + " exists");
    }
    Row row = new Row(set, data, nextStamp());
    rows(set).put(key, row);
    stampProperty(row);
    return row;
  }

  /** Records a change: a new version stamp, so the row's ETag changes. */
  void touch(Row row) {
    row.stamp = nextStamp();
    stampProperty(row);
  }

  void delete(Row row) {
    rows(row.set).remove(key(row.set, row.data));
  }

  /**
   * The next business partner number as the database keeps it ({@link Alpha#stored}): clients see it
   * unpadded, as SAP Gateway shows an internally numbered partner.
   */
  String nextPartnerNumber() {
    while (true) {
      String n = alpha.stored(nextNumber++);
      if (!rows("A_BusinessPartner").containsKey(List.of(n))) {
        return n;
      }
    }
  }

  /** The next address number (ADRC-ADDRNUMBER). */
  String nextAddressNumber() {
    return Long.toString(nextAddress++);
  }

  private Map<List<Object>, Row> rows(String set) {
    keyNames(set);
    return sets.computeIfAbsent(set, s -> new LinkedHashMap<>());
  }

  /** Strictly increasing, so two changes within one clock tick still get different ETags. */
  private String nextStamp() {
    LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    if (!now.isAfter(lastStamp)) {
      now = lastStamp.plus(1, ChronoUnit.MICROS);
    }
    lastStamp = now;
    return STAMP.format(now);
  }

  /** A_BusinessPartner carries its version in the read-only property {@code ETag} too. */
  private static void stampProperty(Row row) {
    if (row.set.equals("A_BusinessPartner")) {
      row.data.put("ETag", ETAG_PROPERTY.format(LocalDateTime.parse(row.stamp, STAMP)));
    }
  }
}
