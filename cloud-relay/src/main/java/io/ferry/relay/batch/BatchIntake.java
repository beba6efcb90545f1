package io.ferry.relay.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ferry.protocol.Problem.FieldError;
import io.ferry.protocol.Protocol;
import io.ferry.relay.store.BatchRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads a batch body record by record — a JSON array through Jackson's streaming parser, CSV through
 * {@link CsvReader} — checks each record ({@link RecordRules}) and hands them on in chunks of at most
 * {@link #CHUNK} records. At most one chunk is held at a time, so the size of a batch is bounded by the
 * body limit, not by the relay's memory.
 *
 * <p>An invalid record becomes a FAILED record with its problem (continue), or refuses the whole batch
 * (stop, {@link BatchRefused.Kind#INVALID_BATCH} naming each invalid record; the caller discards what was
 * handed on). A body that cannot be read at all is refused as a whole.
 */
public final class BatchIntake {

  /** Records handed on per call of the sink: one store transaction each. */
  public static final int CHUNK = 500;
  /** Invalid records named in a stop-mode refusal; the detail counts the rest. */
  static final int MAX_REPORTED = 100;

  private static final ObjectMapper JSON = Protocol.json();

  /** The body's format, from its {@code Content-Type}. */
  public enum Format { JSON, CSV }

  public record Options(BatchMode mode, ErrorHandling errorHandling, FieldMapping mapping) {}

  /**
   * What was read.
   *
   * @param total records read (the last record index)
   * @param valid records that will run
   * @param invalid records refused at intake (FAILED with their problem)
   * @param ignoredColumns CSV columns no field was taken from (only with a mapping, or unnamed columns)
   */
  public record Outcome(int total, int valid, int invalid, List<String> ignoredColumns) {}

  private final Options options;
  private final Function<List<FieldError>, String> problemJson;
  private final Consumer<List<BatchRecord>> sink;
  private List<BatchRecord> chunk = new ArrayList<>(CHUNK);
  private int total;
  private int valid;
  private int invalid;
  private final List<FieldError> reported = new ArrayList<>();

  private BatchIntake(Options options, Function<List<FieldError>, String> problemJson,
      Consumer<List<BatchRecord>> sink) {
    this.options = options;
    this.problemJson = problemJson;
    this.sink = sink;
  }

  /**
   * Reads {@code body} to its end.
   *
   * @param problemJson renders an invalid record's field errors as the JSON of its problem
   * @param sink takes each chunk (and stores it) before the next is read
   * @throws BatchRefused when the batch cannot be taken as a whole
   */
  public static Outcome read(InputStream body, Format format, Options options,
      Function<List<FieldError>, String> problemJson, Consumer<List<BatchRecord>> sink) {
    BatchIntake intake = new BatchIntake(options, problemJson, sink);
    try {
      List<String> ignored = format == Format.CSV ? intake.readCsv(body) : intake.readJson(body);
      return intake.finish(ignored);
    } catch (CharacterCodingException e) {
      throw new BatchRefused(BatchRefused.Kind.MALFORMED_CSV,
          "the body is not UTF-8 text; save the CSV as UTF-8 (with or without a byte order mark)");
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the batch body", e);
    }
  }

  // ---------------------------------------------------------------- JSON

  private List<String> readJson(InputStream body) throws IOException {
    FieldMapping mapping = options.mapping();
    try (JsonRecords records = new JsonRecords(body)) {
      for (JsonNode element = records.next(); element != null; element = records.next()) {
        if (mapping.isEmpty() || !(element instanceof ObjectNode object)) {
          take(element, Map.of(), "");
        } else {
          take(mapped(object, mapping), mapping.targets().entrySet().stream()
              .collect(LinkedHashMap::new, (m, e) -> m.put(e.getValue(), e.getKey()), Map::putAll), "from");
        }
      }
    }
    return List.of();
  }

  /**
   * The record a mapping makes of an element: each source's value at its target, plus the members that
   * already are model fields; other members are left out.
   */
  private static ObjectNode mapped(ObjectNode element, FieldMapping mapping) {
    ObjectNode out = JSON.createObjectNode();
    mapping.targets().forEach((source, target) -> {
      JsonNode value = lookup(element, source);
      if (value != null) {
        ModelFields.set(out, target, value);
      }
    });
    for (Map.Entry<String, JsonNode> member : element.properties()) {
      String name = member.getKey();
      if (mapping.targets().containsKey(name)) {
        continue;
      }
      if (name.equals("salesArea") && member.getValue() instanceof ObjectNode salesArea) {
        salesArea.properties().forEach(f -> {
          String path = "salesArea." + f.getKey();
          if (!ModelFields.has(out, path)) {
            ModelFields.set(out, path, f.getValue());
          }
        });
      } else if (ModelFields.canonical(name).filter(name::equals).isPresent() && !ModelFields.has(out, name)) {
        out.set(name, member.getValue());
      }
    }
    return out;
  }

  /** A member by its name, else by a dotted path through nested objects ({@code address.zip}). */
  private static JsonNode lookup(ObjectNode element, String source) {
    if (element.has(source)) {
      return element.get(source);
    }
    JsonNode current = element;
    for (String part : source.split("\\.")) {
      if (!(current instanceof ObjectNode o) || !o.has(part)) {
        return null;
      }
      current = o.get(part);
    }
    return current;
  }

  // ---------------------------------------------------------------- CSV

  private List<String> readCsv(InputStream body) throws IOException {
    CsvReader csv = new CsvReader(body);
    List<String> header = csv.header();
    if (header == null) {
      throw new BatchRefused(BatchRefused.Kind.INVALID_BATCH,
          "the CSV is empty; its first row names the columns, each following row is one customer");
    }
    Columns columns = columns(header);
    for (List<String> cells = csv.next(); cells != null; cells = csv.next()) {
      if (cells.size() != header.size()) {
        total++;
        reject(List.of(new FieldError("", "has " + cells.size() + " cells where the header row has "
            + header.size() + " (line " + csv.recordLine() + ")")), null, null);
        continue;
      }
      ObjectNode record = JSON.createObjectNode();
      for (int i = 0; i < cells.size(); i++) {
        String target = columns.targets[i];
        String cell = cells.get(i);
        if (target != null && !cell.isBlank()) {
          ModelFields.set(record, target, TextNode.valueOf(cell));
        }
      }
      take(record, columns.sourceOf, "column");
    }
    return columns.ignored;
  }

  /** Which field each column fills: mapped, or named as a field; the rest is refused or (with a mapping) ignored. */
  private record Columns(String[] targets, Map<String, String> sourceOf, List<String> ignored) {}

  private Columns columns(List<String> header) {
    FieldMapping mapping = options.mapping();
    String[] targets = new String[header.size()];
    Map<String, String> sourceOf = new HashMap<>();
    List<String> ignored = new ArrayList<>();
    List<FieldError> unknown = new ArrayList<>();
    List<FieldError> doubled = new ArrayList<>();
    List<String> usedSources = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i).trim();
      if (name.isEmpty()) {
        ignored.add("column " + (i + 1) + " (no name)");
        continue;
      }
      Optional<String> mapped = mapping.targetOf(name);
      Optional<String> target = mapped.isPresent() ? mapped : ModelFields.canonical(name);
      if (mapped.isPresent()) {
        usedSources.add(name);
      }
      if (target.isEmpty()) {
        if (mapping.isEmpty()) {
          unknown.add(new FieldError(name, "is not a field of the customer model; name a field in the header "
              + "(such as postalCode or salesArea.division) or map the column with mapping=" + name + ":<field>"));
        } else {
          ignored.add(name);
        }
        continue;
      }
      String other = sourceOf.putIfAbsent(target.get(), name);
      if (other != null) {
        doubled.add(new FieldError(name, "fills " + target.get() + ", which column '" + other + "' fills already"));
        continue;
      }
      targets[i] = target.get();
    }
    List<FieldError> missingSources = new ArrayList<>();
    for (String source : mapping.targets().keySet()) {
      if (usedSources.stream().noneMatch(s -> s.equalsIgnoreCase(source.trim()))) {
        missingSources.add(new FieldError(FieldMapping.PARAMETER,
            "names the column '" + source + "', which the CSV header row does not have"));
      }
    }
    if (!missingSources.isEmpty()) {
      throw new BatchRefused(BatchRefused.Kind.INVALID_MAPPING, "the mapping names columns the CSV does not have: "
          + String.join(", ", missingSources.stream().map(e -> e.message().split("'")[1]).toList())
          + "; the header row has " + String.join(", ", header), missingSources);
    }
    List<FieldError> problems = new ArrayList<>(unknown);
    problems.addAll(doubled);
    if (!problems.isEmpty()) {
      String detail = !unknown.isEmpty()
          ? "the CSV has columns that are not fields of the customer model: "
              + String.join(", ", unknown.stream().map(FieldError::field).toList())
              + "; rename them or map them with the mapping parameter"
          : "two columns fill the same field: " + doubled.get(0).field() + " " + doubled.get(0).message();
      throw new BatchRefused(BatchRefused.Kind.INVALID_BATCH, detail, problems);
    }
    requireKeyColumn(sourceOf, ModelFields.CUSTOMER_NUMBER, BatchMode.UPDATE, "the customer each row changes");
    requireKeyColumn(sourceOf, ModelFields.EXTERNAL_ID, BatchMode.UPSERT, "the key the agent finds the customer by");
    return new Columns(targets, sourceOf, Collections.unmodifiableList(ignored));
  }

  private void requireKeyColumn(Map<String, String> sourceOf, String field, BatchMode mode, String why) {
    if (options.mode() == mode && !sourceOf.containsKey(field)) {
      throw new BatchRefused(BatchRefused.Kind.INVALID_BATCH, "a " + mode.wireName() + " batch needs a column for "
          + field + " (" + why + "); name it in the header or map a column to it",
          List.of(new FieldError(field, "has no column")));
    }
  }

  // ---------------------------------------------------------------- records

  /**
   * Checks one record and hands it on.
   *
   * @param sourceOf the column (CSV) or member path (JSON mapping) each field came from, for messages
   */
  private void take(JsonNode record, Map<String, String> sourceOf, String sourceWord) {
    total++;
    RecordRules.Checked checked = RecordRules.check(options.mode(), record);
    if (!checked.valid()) {
      List<FieldError> errors = checked.errors().stream().map(e -> {
        String source = sourceOf.get(e.field());
        return source == null || source.equals(e.field()) ? e
            : new FieldError(e.field(), e.message() + " (" + sourceWord + " '" + source + "')");
      }).toList();
      reject(errors, checked.externalId(), checked.customerNumber());
      return;
    }
    valid++;
    add(BatchRecord.pending(total, checked.recordKey(), checked.externalId(), checked.customerNumber(),
        checked.requestJson()));
  }

  private void reject(List<FieldError> errors, String externalId, String customerNumber) {
    invalid++;
    if (options.errorHandling() == ErrorHandling.STOP) {
      // The batch is refused at the end; nothing more needs storing, only reporting.
      for (FieldError e : errors) {
        if (reported.size() < MAX_REPORTED) {
          String field = "records[" + total + "]" + (e.field().isEmpty() ? "" : "." + e.field());
          reported.add(new FieldError(field, e.message()));
        }
      }
      return;
    }
    add(BatchRecord.invalid(total, externalId, customerNumber, problemJson.apply(errors)));
  }

  private void add(BatchRecord record) {
    if (options.errorHandling() == ErrorHandling.STOP && invalid > 0) {
      return;
    }
    chunk.add(record);
    if (chunk.size() == CHUNK) {
      flush();
    }
  }

  private void flush() {
    if (!chunk.isEmpty()) {
      sink.accept(chunk);
      chunk = new ArrayList<>(CHUNK);
    }
  }

  private Outcome finish(List<String> ignored) {
    if (total == 0) {
      throw new BatchRefused(BatchRefused.Kind.INVALID_BATCH, "the batch has no records; send at least one customer",
          List.of());
    }
    if (options.errorHandling() == ErrorHandling.STOP && invalid > 0) {
      String first = reported.get(0).field() + " " + reported.get(0).message();
      throw new BatchRefused(BatchRefused.Kind.INVALID_BATCH, invalid + " of " + total + " records are invalid, so "
          + "with errorHandling=stop nothing was stored or queued; the first: " + first
          + (invalid > MAX_REPORTED ? "; errors names the first " + MAX_REPORTED : ""), reported);
    }
    flush();
    return new Outcome(total, valid, invalid, ignored);
  }
}
