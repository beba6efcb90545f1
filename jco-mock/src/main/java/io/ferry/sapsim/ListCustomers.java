package io.ferry.sapsim;

import com.sap.conn.jco.JCoTable;
import io.ferry.sapsim.CustomerMaster.Attr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The list BAPIs. {@code BAPI_CUSTOMER_GETLIST} selects customers by a range of numbers;
 * {@code BAPI_CUSTOMER_FIND} by field values of the customer master. Both see committed data only.
 */
final class ListCustomers {

  /** The KNA1 fields BAPI_CUSTOMER_FIND can search in the simulator, with how to read each. */
  static final Map<String, Function<CustomerMaster, String>> KNA1 = Map.ofEntries(
      Map.entry("KUNNR", c -> c.kunnr),
      Map.entry("KTOKD", c -> c.accountGroup == null ? "" : c.accountGroup),
      Map.entry("NAME1", c -> c.get(Attr.NAME1)),
      Map.entry("NAME2", c -> c.get(Attr.NAME2)),
      Map.entry("NAME3", c -> c.get(Attr.NAME3)),
      Map.entry("NAME4", c -> c.get(Attr.NAME4)),
      Map.entry("SORTL", c -> c.get(Attr.SORTL)),
      // The match codes: upper-case copies SAP keeps of the first 25 characters of name, name 2 and city,
      // for searches that ignore case.
      Map.entry("MCOD1", c -> matchCode(c.get(Attr.NAME1))),
      Map.entry("MCOD2", c -> matchCode(c.get(Attr.NAME2))),
      Map.entry("MCOD3", c -> matchCode(c.get(Attr.CITY))),
      Map.entry("STRAS", ListCustomers::streetAndNumber),
      Map.entry("PSTLZ", c -> c.get(Attr.POSTL_CODE)),
      Map.entry("ORT01", c -> c.get(Attr.CITY)),
      Map.entry("ORT02", c -> c.get(Attr.DISTRICT)),
      Map.entry("REGIO", c -> c.get(Attr.REGION)),
      Map.entry("LAND1", c -> c.get(Attr.COUNTRY)),
      Map.entry("SPRAS", c -> c.get(Attr.LANGUAGE)),
      Map.entry("TELF1", c -> c.get(Attr.PHONE)),
      Map.entry("TELFX", c -> c.get(Attr.FAX)));

  private ListCustomers() {}

  private static String matchCode(String value) {
    String upper = value == null ? "" : value.toUpperCase(java.util.Locale.ROOT);
    return upper.length() > 25 ? upper.substring(0, 25) : upper;
  }

  /**
   * {@code BAPI_CUSTOMER_GETLIST}: one ADDRESSDATA and one SPECIALDATA row per customer whose number
   * the IDRANGE selects (no range rows: all), at most MAXROWS of them (0: all); F2 718 when none.
   */
  static void getList(Call call) {
    List<SelectOptions.Row> range = new ArrayList<>();
    JCoTable idRange = call.tables().getTable("IDRANGE");
    for (int i = 0; i < idRange.getNumRows(); i++) {
      idRange.setRow(i);
      range.add(new SelectOptions.Row(idRange.getString("SIGN"), idRange.getString("OPTION"),
          idRange.getString("LOW"), idRange.getString("HIGH")));
    }
    JCoTable addresses = call.tables().getTable("ADDRESSDATA");
    JCoTable special = call.tables().getTable("SPECIALDATA");
    addresses.deleteAllRows();
    special.deleteAllRows();
    Optional<Msg> invalid = SelectOptions.check(range);
    if (invalid.isPresent()) {
      call.answer(invalid.get());
      return;
    }
    int max = call.imports().getInt("MAXROWS");
    int found = 0;
    for (CustomerMaster c : call.system().committedCustomers()) {
      if (max > 0 && found >= max) {
        break;
      }
      if (!SelectOptions.selects(range, c.kunnr)) {
        continue;
      }
      found++;
      addresses.appendRow();
      addresses.setValue("CUSTOMER", c.kunnr);
      addresses.setValue("NAME", c.get(Attr.NAME1));
      addresses.setValue("STREET", truncate(streetAndNumber(c), 35));
      addresses.setValue("POSTL_COD1", c.get(Attr.POSTL_CODE));
      addresses.setValue("CITY", c.get(Attr.CITY));
      addresses.setValue("DISTRICT", c.get(Attr.DISTRICT));
      addresses.setValue("TEL1_NUMBR", truncate(c.get(Attr.PHONE), 16));
      addresses.setValue("FAX_NUMBER", truncate(c.get(Attr.FAX), 31));
      addresses.setValue("COUNTRY", c.get(Attr.COUNTRY));
      addresses.setValue("COUNTRYISO", c.get(Attr.COUNTRY));
      addresses.setValue("REGION", c.get(Attr.REGION));
      addresses.setValue("LANGU", c.get(Attr.LANGUAGE));
      addresses.setValue("LANGU_ISO", Languages.toIso(c.get(Attr.LANGUAGE)));
      special.appendRow();
      special.setValue("CUSTOMER", c.kunnr);
    }
    addresses.firstRow();
    special.firstRow();
    if (found == 0) {
      call.answer(Msg.noCustomersFound());
    }
  }

  /**
   * {@code BAPI_CUSTOMER_FIND}: customers that meet every SELOPT_TAB row (table KNA1; with COMP_CODE
   * also created in that company code). FIELDVALUE is compared exactly, or as a CP pattern when
   * PL_HOLD is 'X'. One RESULT_TAB row per customer found, carrying the first criterion; at most
   * MAX_CNT rows (0: all). None found: F2 718.
   */
  static void find(Call call) {
    JCoTable criteria = call.tables().getTable("SELOPT_TAB");
    JCoTable result = call.tables().getTable("RESULT_TAB");
    result.deleteAllRows();
    record Criterion(String companyCode, String table, String field, String value, Function<CustomerMaster, String> reader) {}
    List<Criterion> all = new ArrayList<>();
    for (int i = 0; i < criteria.getNumRows(); i++) {
      criteria.setRow(i);
      String table = criteria.getString("TABNAME");
      String field = criteria.getString("FIELDNAME");
      Function<CustomerMaster, String> reader = "KNA1".equals(table) ? KNA1.get(field) : null;
      if (reader == null) {
        call.answer(Msg.searchNotSupported(table, field));
        return;
      }
      all.add(new Criterion(criteria.getString("COMP_CODE"), table, field, criteria.getString("FIELDVALUE"), reader));
    }
    if (all.isEmpty()) {
      call.answer(Msg.searchCriteriaMissing());
      return;
    }
    boolean patterns = "X".equals(call.imports().getString("PL_HOLD"));
    int max = call.imports().getInt("MAX_CNT");
    int found = 0;
    for (CustomerMaster c : call.system().committedCustomers()) {
      if (max > 0 && found >= max) {
        break;
      }
      boolean hit = all.stream().allMatch(k -> {
        String actual = k.reader().apply(c);
        boolean valueOk = patterns ? SelectOptions.coversPattern(actual, k.value()) : actual.equals(k.value());
        return valueOk && (k.companyCode().isBlank() || c.companies.containsKey(k.companyCode()));
      });
      if (!hit) {
        continue;
      }
      found++;
      Criterion first = all.get(0);
      result.appendRow();
      result.setValue("COMP_CODE", first.companyCode());
      result.setValue("TABNAME", first.table());
      result.setValue("FIELDNAME", first.field());
      result.setValue("FIELDVALUE", first.reader().apply(c));
      result.setValue("CUSTOMER", c.kunnr);
    }
    result.firstRow();
    if (found == 0) {
      call.answer(Msg.noCustomersFound());
    }
  }

  /** KNA1-STRAS: street and house number in one field. */
  private static String streetAndNumber(CustomerMaster c) {
    return (c.get(Attr.STREET) + " " + c.get(Attr.HOUSE_NO)).strip();
  }

  private static String truncate(String s, int max) {
    return s.length() > max ? s.substring(0, max) : s;
  }
}
