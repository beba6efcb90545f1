package io.ferry.relay.batch;

import io.ferry.protocol.Problem.FieldError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The optional {@code mapping} query parameter: which CSV column (or JSON member path) fills which field of
 * the customer model, written {@code source:target} and separated by commas, for example
 * {@code Account Name:name,Zip:postalCode,Sales Org:salesArea.salesOrganization}. A target is a field path
 * of the model (any case; the sales area's fields also without {@code salesArea.}), {@code customerNumber}
 * in update mode. A source is split from its target at the last colon, so it may contain colons; a source
 * with a comma is written in double quotes ({@code "Name, first":name}, a quote inside doubled).
 */
public final class FieldMapping {

  static final String PARAMETER = "mapping";
  private static final FieldMapping NONE = new FieldMapping(Map.of());

  /** Source as written → canonical target path, in the order written. */
  private final Map<String, String> targets;

  private FieldMapping(Map<String, String> targets) {
    this.targets = Collections.unmodifiableMap(targets);
  }

  public static FieldMapping none() {
    return NONE;
  }

  /** Parses the parameter; {@link BatchRefused.Kind#INVALID_MAPPING} naming every bad entry. */
  public static FieldMapping parse(String parameter, BatchMode mode) {
    if (parameter == null) {
      return NONE;
    }
    List<FieldError> errors = new ArrayList<>();
    Map<String, String> targets = new LinkedHashMap<>();
    Map<String, String> sourceOfTarget = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    for (String entry : split(parameter, errors)) {
      if (entry.isBlank()) {
        continue;
      }
      int colon = entry.lastIndexOf(':');
      if (colon < 0) {
        errors.add(error("'" + entry + "' has no ':'; write each entry as source:target, for example Zip:postalCode"));
        continue;
      }
      String source = unquote(entry.substring(0, colon).trim());
      String target = entry.substring(colon + 1).trim();
      if (source.isEmpty()) {
        errors.add(error("'" + entry + "' names no source column or member before the ':'"));
        continue;
      }
      Optional<String> canonical = ModelFields.canonical(target);
      if (canonical.isEmpty()) {
        unknown.add(target);
        errors.add(error("maps '" + source + "' to '" + target + "', which is not a field of the customer model"));
        continue;
      }
      String path = canonical.get();
      if (path.equals(ModelFields.CUSTOMER_NUMBER) && mode != BatchMode.UPDATE) {
        errors.add(error("maps '" + source + "' to customerNumber, which SAP assigns; only an update batch names it"));
        continue;
      }
      if (targets.containsKey(source)) {
        errors.add(error("names the source '" + source + "' twice"));
        continue;
      }
      String other = sourceOfTarget.putIfAbsent(path, source);
      if (other != null) {
        errors.add(error("maps both '" + other + "' and '" + source + "' to " + path));
        continue;
      }
      targets.put(source, path);
    }
    if (!errors.isEmpty()) {
      String detail = unknown.isEmpty()
          ? "the mapping parameter is not valid: " + errors.get(0).message()
          : "the mapping names targets that are not fields of the customer model: " + String.join(", ", unknown)
              + "; targets are field paths such as name, postalCode or salesArea.salesOrganization";
      throw new BatchRefused(BatchRefused.Kind.INVALID_MAPPING, detail, errors);
    }
    if (targets.isEmpty()) {
      throw new BatchRefused(BatchRefused.Kind.INVALID_MAPPING, "the mapping parameter names no source:target pair",
          List.of(error("is empty; leave the parameter out, or write source:target pairs")));
    }
    return new FieldMapping(targets);
  }

  public boolean isEmpty() {
    return targets.isEmpty();
  }

  /** Source → canonical target path, in the order written. */
  Map<String, String> targets() {
    return targets;
  }

  /** The target of a source: exactly as written, else ignoring case. */
  Optional<String> targetOf(String source) {
    String exact = targets.get(source);
    if (exact != null) {
      return Optional.of(exact);
    }
    return targets.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(source.trim()))
        .map(Map.Entry::getValue).findFirst();
  }

  private static List<String> split(String parameter, List<FieldError> errors) {
    List<String> entries = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < parameter.length(); i++) {
      char c = parameter.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < parameter.length() && parameter.charAt(i + 1) == '"') {
          current.append("\"\"");
          i++;
          continue;
        }
        quoted = !quoted;
        current.append(c);
      } else if (c == ',' && !quoted) {
        entries.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (quoted) {
      errors.add(error("has a double quote that is not closed"));
    }
    entries.add(current.toString());
    return entries;
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      return s.substring(1, s.length() - 1).replace("\"\"", "\"");
    }
    return s;
  }

  private static FieldError error(String message) {
    return new FieldError(PARAMETER, message);
  }
}
