package io.ferry.sapsim;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The simulated system's materials and its one condition table (a PR00 price per material and sales
 * organisation): what the order BAPIs need to price an item, so net amounts are real sums. Fixed: see
 * jco-mock/README.md for the list.
 */
final class PriceList {

  /** A material as sales sees it: its text, base unit, the plants that deliver it and its price per unit. */
  record Material(String number, String text, String unit, Set<String> plants, String salesOrg, BigDecimal price,
      String currency) {}

  private static final Map<String, Material> MATERIALS = Map.of(
      "FERRY-100", new Material("FERRY-100", "Ferry demo widget", "PC", Set.of("1000"), "1000",
          new BigDecimal("99.90"), "EUR"),
      "FERRY-200", new Material("FERRY-200", "Ferry demo cable, 2 m", "PC", Set.of("1000", "1100"), "1000",
          new BigDecimal("24.50"), "EUR"),
      "FERRY-300", new Material("FERRY-300", "Ferry service hour", "H", Set.of("1000"), "1000",
          new BigDecimal("120.00"), "EUR"));

  private PriceList() {}

  /** The material, looked up as SAP's MATN1 conversion would (upper case, blanks stripped). */
  static Optional<Material> material(String number) {
    return Optional.ofNullable(MATERIALS.get(number.strip().toUpperCase(java.util.Locale.ROOT)));
  }

  /** Price times quantity, rounded to the currency's two decimals as pricing does. */
  static BigDecimal netValue(Material m, BigDecimal quantity) {
    return m.price().multiply(quantity).setScale(2, RoundingMode.HALF_UP);
  }
}
