package io.ferry.odatapeer;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the S/4HANA business partner API checks and the EDMX cannot say. The codes of the two
 * mandatory-field errors follow what is reported for SAP systems (address without language
 * {@code FSBP_ECC/030}, sales area without currency {@code CVI_API/003}) but are unverified: their
 * texts are the peer's own. Everything else the peer reports uses its own class {@code ZFERRY_PEER}.
 */
final class Checks {

  /**
   * The peer system's customizing: the sales areas a customer can be created in. The same as the
   * JCo simulator's seed, so both backends refuse the same unknown sales area.
   */
  static final java.util.Set<String> SALES_AREAS = java.util.Set.of("1000/10/00");

  /** The grouping a business partner gets when the request names none (SAP-like: a system default). */
  static final String DEFAULT_GROUPING = "0001";

  private Checks() {}

  /** Problems with a new row of {@code set}; {@code target} names it in messages. */
  static void onCreate(String set, Map<String, Object> data, String target, List<SapError.Detail> problems) {
    switch (set) {
      case "A_BusinessPartner" -> {
        Object category = data.get("BusinessPartnerCategory");
        if (!List.of("1", "2", "3").contains(category)) {
          problems.add(SapError.Detail.error("ZFERRY_PEER/010", "BusinessPartnerCategory must be 1 (person), "
              + "2 (organization) or 3 (group), was " + (category == null ? "empty" : "'" + category + "'"),
              target + "/BusinessPartnerCategory"));
        }
      }
      case "A_CustomerSalesArea" -> {
        String area = data.get("SalesOrganization") + "/" + data.get("DistributionChannel") + "/" + data.get("Division");
        if (!SALES_AREAS.contains(area)) {
          problems.add(SapError.Detail.error("ZFERRY_PEER/020", "Sales area " + area
              + " is not defined in this system's customizing", target + "/SalesOrganization"));
        }
        onUpdate(set, data, target, problems);
      }
      case "A_BusinessPartnerAddress" -> onUpdate(set, data, target, problems);
      default -> { }
    }
  }

  /** Problems with a row as it would be after a change. */
  static void onUpdate(String set, Map<String, Object> data, String target, List<SapError.Detail> problems) {
    switch (set) {
      case "A_BusinessPartnerAddress" -> {
        if (blank(data.get("Language"))) {
          // SAP-like, unverified code.
          problems.add(SapError.Detail.error("FSBP_ECC/030",
              "Address: enter the communication language (Language)", target + "/Language"));
        }
      }
      case "A_CustomerSalesArea" -> {
        if (blank(data.get("Currency"))) {
          // SAP-like, unverified code.
          problems.add(SapError.Detail.error("CVI_API/003", "Sales area " + data.get("SalesOrganization") + "/"
              + data.get("DistributionChannel") + "/" + data.get("Division") + ": enter the currency (Currency)",
              target + "/Currency"));
        }
      }
      default -> { }
    }
  }

  /** SAP keeps a business partner's search terms in upper case. */
  static void normalize(String set, Map<String, Object> data) {
    if (set.equals("A_BusinessPartner")) {
      for (String p : List.of("SearchTerm1", "SearchTerm2")) {
        if (data.get(p) instanceof String s) {
          data.put(p, s.toUpperCase(Locale.ROOT));
        }
      }
    }
  }

  static boolean blank(Object value) {
    return value == null || value instanceof String s && s.isBlank();
  }
}
