package io.ferry.relay.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.CustomerRules;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The customer model's field paths as a batch names them: a CSV header or a mapping target may write a
 * path in any case ({@code PostalCode}), and the sales area's fields without their prefix
 * ({@code division} for {@code salesArea.division}). {@code customerNumber} is a field of update batches.
 */
final class ModelFields {

  static final String CUSTOMER_NUMBER = "customerNumber";
  static final String EXTERNAL_ID = "externalId";
  private static final String SALES_AREA = "salesArea.";

  /** Lower-case spelling → canonical path. */
  private static final Map<String, String> BY_LOWER = new HashMap<>();

  static {
    for (String path : CustomerRules.fieldPaths()) {
      BY_LOWER.put(path.toLowerCase(Locale.ROOT), path);
      if (path.startsWith(SALES_AREA)) {
        BY_LOWER.put(path.substring(SALES_AREA.length()).toLowerCase(Locale.ROOT), path);
      }
    }
    BY_LOWER.put(CUSTOMER_NUMBER.toLowerCase(Locale.ROOT), CUSTOMER_NUMBER);
  }

  private ModelFields() {}

  /** The canonical path {@code name} stands for, if it names a field. */
  static Optional<String> canonical(String name) {
    return Optional.ofNullable(BY_LOWER.get(name.trim().toLowerCase(Locale.ROOT)));
  }

  /** Puts {@code value} at {@code path} ({@code name} or {@code salesArea.division}) of the record. */
  static void set(ObjectNode record, String path, JsonNode value) {
    int dot = path.indexOf('.');
    if (dot < 0) {
      record.set(path, value);
      return;
    }
    String parent = path.substring(0, dot);
    JsonNode existing = record.get(parent);
    ObjectNode nested = existing instanceof ObjectNode o ? o : record.putObject(parent);
    nested.set(path.substring(dot + 1), value);
  }

  /** Whether the record already has a value at {@code path}. */
  static boolean has(ObjectNode record, String path) {
    int dot = path.indexOf('.');
    if (dot < 0) {
      return record.has(path);
    }
    JsonNode parent = record.get(path.substring(0, dot));
    return parent != null && parent.has(path.substring(dot + 1));
  }
}
