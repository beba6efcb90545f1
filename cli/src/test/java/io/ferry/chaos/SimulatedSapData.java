package io.ferry.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the simulated SAP system holds, read from its data file ({@code jco.mock.data_file}) after the
 * agent stopped: the customer numbers per external id (the BAPI backend keeps {@code externalId} in
 * KNA1-NAME4) and the sales-order numbers per customer reference, exactly what a look at the customer master and
 * the sales orders of a real system would show.
 */
final class SimulatedSapData {

  private final Map<String, List<String>> numbersByExternalId = new HashMap<>();

  static SimulatedSapData read(Path dataFile) throws IOException {
    SimulatedSapData data = new SimulatedSapData();
    if (!Files.exists(dataFile)) {
      return data;
    }
    JsonNode root = new ObjectMapper().readTree(dataFile.toFile());
    for (JsonNode c : root.path("customers")) {
      String ext = c.path("general").path("NAME4").asText("");
      if (!ext.isEmpty()) {
        data.numbersByExternalId.computeIfAbsent(ext.toUpperCase(Locale.ROOT), k -> new ArrayList<>())
            .add(c.path("number").asText());
      }
    }
    for (JsonNode o : root.path("orders")) {
      String reference = o.path("purchNo").asText("");
      if (!reference.isEmpty()) {
        data.numbersByExternalId.computeIfAbsent(reference.toUpperCase(Locale.ROOT), k -> new ArrayList<>())
            .add(o.path("number").asText());
      }
    }
    return data;
  }

  List<String> numbers(String externalId) {
    return numbersByExternalId.getOrDefault(externalId.toUpperCase(Locale.ROOT), List.of());
  }

  /** Customers beyond the first per external id starting with {@code prefix}. */
  int duplicates(String prefix) {
    String p = prefix.toUpperCase(Locale.ROOT);
    return numbersByExternalId.entrySet().stream().filter(e -> e.getKey().startsWith(p))
        .mapToInt(e -> e.getValue().size() - 1).sum();
  }

  int customers(String prefix) {
    String p = prefix.toUpperCase(Locale.ROOT);
    return numbersByExternalId.entrySet().stream().filter(e -> e.getKey().startsWith(p))
        .mapToInt(e -> e.getValue().size()).sum();
  }
}
