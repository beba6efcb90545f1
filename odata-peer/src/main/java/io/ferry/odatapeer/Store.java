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
  /** Where the data survives a restart (null: in memory only), and whether it changed since it was saved. */
  private java.nio.file.Path dataFile;
  private boolean dirty;

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
    dirty = true;
  }

  /**
   * Keeps the data in {@code file} from now on: loads it when it exists, else starts empty and writes it at
   * the first change. Java serialization, as the rows hold Olingo's typed values (strings, decimals,
   * calendars, booleans), all serializable, and the file is the peer's own, never exchanged.
   */
  synchronized void keepIn(java.nio.file.Path file) throws java.io.IOException {
    dataFile = file;
    if (!java.nio.file.Files.isRegularFile(file)) {
      return;
    }
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(java.nio.file.Files.newInputStream(file))) {
      nextNumber = in.readLong();
      nextAddress = in.readLong();
      lastStamp = (LocalDateTime) in.readObject();
      @SuppressWarnings("unchecked")
      Map<String, List<Object[]>> saved = (Map<String, List<Object[]>>) in.readObject();
      sets.clear();
      for (Map.Entry<String, List<Object[]>> set : saved.entrySet()) {
        for (Object[] row : set.getValue()) {
          @SuppressWarnings("unchecked")
          Map<String, Object> data = new LinkedHashMap<>((Map<String, Object>) row[0]);
          rows(set.getKey()).put(key(set.getKey(), data), new Row(set.getKey(), data, (String) row[1]));
        }
      }
    } catch (ClassNotFoundException | ClassCastException e) {
      throw new java.io.IOException(file + " is not an OData peer data file: " + e.getMessage(), e);
    }
    dirty = false;
  }

  /** Writes the data file when the data changed since the last write (atomically: a new file moved over it). */
  synchronized void saveIfChanged() throws java.io.IOException {
    if (dataFile == null || !dirty) {
      return;
    }
    Map<String, List<Object[]>> snapshot = new LinkedHashMap<>();
    sets.forEach((set, rows) -> snapshot.put(set, rows.values().stream()
        .map(r -> new Object[] {new LinkedHashMap<>(r.data), r.stamp}).toList()));
    java.nio.file.Path tmp = dataFile.resolveSibling(dataFile.getFileName() + ".tmp");
    java.nio.file.Files.createDirectories(dataFile.toAbsolutePath().getParent());
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(java.nio.file.Files.newOutputStream(tmp))) {
      out.writeLong(nextNumber);
      out.writeLong(nextAddress);
      out.writeObject(lastStamp);
      out.writeObject(new LinkedHashMap<>(snapshot));
    }
    java.nio.file.Files.move(tmp, dataFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    dirty = false;
  }

  /** The number the next created business partner (and customer) gets, unpadded. */
  synchronized long peekNextNumber() {
    long n = nextNumber;
    while (rows("A_BusinessPartner").containsKey(List.of(alpha.stored(n)))) {
      n++;
    }
    return n;
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
    dirty = true;
    stampProperty(row);
    if (set.equals("A_BusinessPartner")) {
      // Created is also last changed: the never-changed partner is found by either watermark.
      LocalDateTime at = LocalDateTime.parse(row.stamp, STAMP);
      data.put("CreationDate", dateValue(at));
      data.put("CreationTime", timeValue(at));
      changedAt(row, at);
    }
    return row;
  }

  /**
   * Records a change: a new version stamp, so the row's ETag changes. A business partner's last change
   * (date, time) moves with it; a change of one of its addresses is a change of the partner too.
   */
  void touch(Row row) {
    dirty = true;
    row.stamp = nextStamp();
    stampProperty(row);
    if (row.set.equals("A_BusinessPartner")) {
      changedAt(row, LocalDateTime.parse(row.stamp, STAMP));
    } else if (row.set.equals("A_BusinessPartnerAddress")) {
      find("A_BusinessPartner", Map.of("BusinessPartner", row.data.get("BusinessPartner"))).ifPresent(this::touch);
    }
  }

  private static void changedAt(Row row, LocalDateTime at) {
    row.data.put("LastChangeDate", dateValue(at));
    row.data.put("LastChangeTime", timeValue(at));
  }

  /** Edm.DateTime with display format Date, as Olingo reads it from a literal: midnight UTC of the day. */
  static java.util.Calendar dateValue(LocalDateTime at) {
    java.util.Calendar c = java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("GMT"));
    c.clear();
    c.set(at.getYear(), at.getMonthValue() - 1, at.getDayOfMonth());
    return c;
  }

  /** Edm.Time (Precision 0) as Olingo reads {@code time'PT10H15M00S'}: that time on 1970-01-01 UTC, whole seconds. */
  static java.util.Calendar timeValue(LocalDateTime at) {
    java.util.Calendar c = java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("GMT"));
    c.clear();
    c.set(1970, java.util.Calendar.JANUARY, 1, at.getHour(), at.getMinute(), at.getSecond());
    return c;
  }

  void delete(Row row) {
    dirty = true;
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
