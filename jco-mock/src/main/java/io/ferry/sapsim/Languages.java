package io.ferry.sapsim;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * SAP's one-letter language keys (table T002) the simulator knows, with their ISO 639-1 codes. The agent has
 * its own table ({@code SapConversions}) on purpose: the simulator plays SAP's side, and the agent may not
 * depend on it, so a wrong key in one is caught by the other in the tests.
 */
final class Languages {

  private static final Map<String, String> SAP_TO_ISO = Map.ofEntries(
      Map.entry("E", "EN"), Map.entry("D", "DE"), Map.entry("F", "FR"), Map.entry("S", "ES"),
      Map.entry("I", "IT"), Map.entry("N", "NL"), Map.entry("P", "PT"), Map.entry("J", "JA"),
      Map.entry("1", "ZH"), Map.entry("R", "RU"), Map.entry("L", "PL"), Map.entry("V", "SV"),
      Map.entry("K", "DA"), Map.entry("U", "FI"), Map.entry("C", "CS"), Map.entry("H", "HU"),
      Map.entry("T", "TR"), Map.entry("3", "KO"), Map.entry("A", "AR"), Map.entry("O", "NO"),
      Map.entry("G", "EL"), Map.entry("B", "HE"), Map.entry("Q", "SK"), Map.entry("W", "BG"),
      Map.entry("2", "TH"), Map.entry("4", "RO"), Map.entry("5", "SL"), Map.entry("6", "HR"),
      Map.entry("8", "UK"), Map.entry("9", "ET"), Map.entry("X", "LT"), Map.entry("Y", "LV"));

  private Languages() {}

  static boolean isSapKey(String key) {
    return SAP_TO_ISO.containsKey(key.toUpperCase(Locale.ROOT));
  }

  static Optional<String> fromIso(String iso) {
    String upper = iso.toUpperCase(Locale.ROOT);
    return SAP_TO_ISO.entrySet().stream().filter(e -> e.getValue().equals(upper)).map(Map.Entry::getKey).findFirst();
  }

  static String toIso(String sapKey) {
    return SAP_TO_ISO.getOrDefault(sapKey.toUpperCase(Locale.ROOT), "");
  }
}
