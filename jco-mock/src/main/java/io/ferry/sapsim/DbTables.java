package io.ferry.sapsim;

import io.ferry.sapsim.DbTable.Column;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The database tables RFC_READ_TABLE can read in the simulator, built from the system's committed data:
 * KNA1 (customers), T001 (company codes) and VBAK (sales order headers), each with the columns the
 * simulator keeps, in SAP's column order, SAP's names, lengths and English short texts. Rows come ordered
 * by key (SAP promises no order).
 */
final class DbTables {

  /** Tables SAP has but the simulated logon user may not read (authorisation group SC of S_TABU_DIS). */
  static final Set<String> PROTECTED = Set.of("USR02", "USH02", "RFCDES");

  private static final List<Column> KNA1 = List.of(
      Column.chars("MANDT", 3, "Client"),
      Column.chars("KUNNR", 10, "Customer Number"),
      Column.chars("LAND1", 3, "Country Key"),
      Column.chars("NAME1", 35, "Name 1"),
      Column.chars("NAME2", 35, "Name 2"),
      Column.chars("ORT01", 35, "City"),
      Column.chars("PSTLZ", 10, "Postal Code"),
      Column.chars("REGIO", 3, "Region (State, Province, County)"),
      Column.chars("SORTL", 10, "Sort field"),
      Column.chars("STRAS", 35, "House number and street"),
      Column.chars("TELF1", 16, "First telephone number"),
      Column.chars("TELFX", 31, "Fax Number"),
      Column.chars("NAME3", 35, "Name 3"),
      Column.chars("NAME4", 35, "Name 4"),
      Column.chars("ORT02", 35, "District"),
      Column.chars("SPRAS", 1, "Language Key"),
      Column.chars("KTOKD", 4, "Customer Account Group"),
      Column.date("ERDAT", "Date on which the Record Was Created"),
      Column.chars("ERNAM", 12, "Name of Person who Created the Object"),
      Column.chars("AUFSD", 2, "Central order block for customer"));

  private static final List<Column> T001 = List.of(
      Column.chars("MANDT", 3, "Client"),
      Column.chars("BUKRS", 4, "Company Code"),
      Column.chars("BUTXT", 25, "Name of Company Code or Company"),
      Column.chars("ORT01", 25, "City"),
      Column.chars("LAND1", 3, "Country Key"),
      Column.chars("WAERS", 5, "Currency Key"),
      Column.chars("SPRAS", 1, "Language Key"));

  private static final List<Column> VBAK = List.of(
      Column.chars("MANDT", 3, "Client"),
      Column.chars("VBELN", 10, "Sales Document"),
      Column.date("ERDAT", "Date on which the record was created"),
      Column.chars("ERNAM", 12, "Name of Person who Created the Object"),
      Column.chars("AUART", 4, "Sales Document Type"),
      Column.packed("NETWR", 15, 2, "Net Value of the Sales Order in Document Currency"),
      Column.chars("WAERK", 5, "SD Document Currency"),
      Column.chars("VKORG", 4, "Sales Organization"),
      Column.chars("VTWEG", 2, "Distribution Channel"),
      Column.chars("SPART", 2, "Division"),
      Column.date("VDATU", "Requested delivery date"),
      Column.chars("BSTNK", 20, "Customer purchase order number"),
      Column.chars("KUNNR", 10, "Sold-to party"));

  /** CDHDR, change document header (192 characters, as SAP's). */
  private static final List<Column> CDHDR = List.of(
      Column.chars("MANDANT", 3, "Client"),
      Column.chars("OBJECTCLAS", 15, "Object class"),
      Column.chars("OBJECTID", 90, "Object value"),
      Column.chars("CHANGENR", 10, "Document change number"),
      Column.chars("USERNAME", 12, "User name of the person responsible in change document"),
      Column.date("UDATE", "Creation date of the change document"),
      Column.time("UTIME", "Time changed"),
      Column.chars("TCODE", 20, "Transaction in which a change was made"),
      Column.chars("PLANCHNGNR", 12, "Planned change number"),
      Column.chars("ACT_CHNGNO", 10, "Change number of the document created by this change"),
      Column.chars("WAS_PLANND", 1, "Flag that changes were planned"),
      Column.chars("CHANGE_IND", 1, "Application object change type (U, I, E, D)"),
      Column.chars("LANGU", 1, "Language Key"),
      Column.chars("VERSION", 3, "3-Byte field"));

  /** CDPOS, change document items (774 characters: wider than a data line, so callers pick columns). */
  private static final List<Column> CDPOS = List.of(
      Column.chars("MANDANT", 3, "Client"),
      Column.chars("OBJECTCLAS", 15, "Object class"),
      Column.chars("OBJECTID", 90, "Object value"),
      Column.chars("CHANGENR", 10, "Document change number"),
      Column.chars("TABNAME", 30, "Table Name"),
      Column.chars("TABKEY", 70, "Changed table record key"),
      Column.chars("FNAME", 30, "Field Name"),
      Column.chars("CHNGIND", 1, "Change Type (U, I, S, D)"),
      Column.chars("TEXT_CASE", 1, "Flag: X=Text change"),
      Column.chars("UNIT_OLD", 3, "Change documents, unit referenced"),
      Column.chars("UNIT_NEW", 3, "Change documents, unit referenced"),
      Column.chars("CUKY_OLD", 5, "Change documents, referenced currency"),
      Column.chars("CUKY_NEW", 5, "Change documents, referenced currency"),
      Column.chars("VALUE_NEW", 254, "New contents of changed field"),
      Column.chars("VALUE_OLD", 254, "Old contents of changed field"));

  private DbTables() {}

  /** The table as the system holds it now, or empty when the simulator has no such table. */
  static Optional<DbTable> read(String name, SapSystem system, String client) {
    return Optional.ofNullable(switch (name) {
      case "KNA1" -> new DbTable(name, KNA1, customers(system, client));
      case "T001" -> new DbTable(name, T001, companyCodes(system, client));
      case "VBAK" -> new DbTable(name, VBAK, orders(system, client));
      case "CDHDR" -> new DbTable(name, CDHDR, changeHeaders(system, client));
      case "CDPOS" -> new DbTable(name, CDPOS, changePositions(system, client));
      default -> null;
    });
  }

  private static List<Map<String, String>> customers(SapSystem system, String client) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (CustomerMaster c : system.committedCustomers()) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("MANDT", client);
      for (Column col : KNA1) {
        var read = ListCustomers.KNA1.get(col.name());
        if (read != null) {
          row.put(col.name(), read.apply(c));
        }
      }
      row.put("ERDAT", c.createdOn);
      row.put("ERNAM", c.createdBy);
      row.put("AUFSD", system.hasOrderBlock(c.kunnr) ? "01" : "");
      rows.add(row);
    }
    return rows;
  }

  /** Ordered by key: object class, object id, change number. */
  private static List<Map<String, String>> changeHeaders(SapSystem system, String client) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (ChangeDocuments.Header h : byKey(system)) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("MANDANT", client);
      row.put("OBJECTCLAS", ChangeDocuments.OBJECT_CLASS);
      row.put("OBJECTID", h.objectId());
      row.put("CHANGENR", h.changeNumber());
      row.put("USERNAME", h.user());
      row.put("UDATE", h.date());
      row.put("UTIME", h.time());
      row.put("TCODE", h.tcode());
      row.put("CHANGE_IND", h.changeInd());
      rows.add(row);
    }
    return rows;
  }

  private static List<Map<String, String>> changePositions(SapSystem system, String client) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (ChangeDocuments.Header h : byKey(system)) {
      for (ChangeDocuments.Position p : h.positions()) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("MANDANT", client);
        row.put("OBJECTCLAS", ChangeDocuments.OBJECT_CLASS);
        row.put("OBJECTID", h.objectId());
        row.put("CHANGENR", h.changeNumber());
        row.put("TABNAME", p.tabname());
        // The record key as SAP writes it: the client first, then the table's other key fields.
        row.put("TABKEY", client + p.tabkey());
        row.put("FNAME", p.fname());
        row.put("CHNGIND", p.chngind());
        row.put("VALUE_NEW", p.valueNew());
        row.put("VALUE_OLD", p.valueOld());
        rows.add(row);
      }
    }
    return rows;
  }

  private static List<ChangeDocuments.Header> byKey(SapSystem system) {
    return system.changeDocuments().stream()
        .sorted(java.util.Comparator.comparing(ChangeDocuments.Header::objectId)
            .thenComparing(ChangeDocuments.Header::changeNumber))
        .toList();
  }

  private static List<Map<String, String>> companyCodes(SapSystem system, String client) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (CompanyCode k : system.companyCodes()) {
      rows.add(Map.of("MANDT", client, "BUKRS", k.code(), "BUTXT", k.name(), "ORT01", k.city(),
          "LAND1", k.country(), "WAERS", k.currency(), "SPRAS", k.language()));
    }
    return rows;
  }

  private static List<Map<String, String>> orders(SapSystem system, String client) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (SalesDocument o : system.committedOrders()) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("MANDT", client);
      row.put("VBELN", o.number());
      row.put("ERDAT", o.createdOn());
      row.put("ERNAM", o.createdBy());
      row.put("AUART", o.docType());
      row.put("NETWR", o.netValue().setScale(2, java.math.RoundingMode.HALF_UP).toPlainString());
      row.put("WAERK", o.currency());
      row.put("VKORG", o.area().salesOrg());
      row.put("VTWEG", o.area().distrChannel());
      row.put("SPART", o.area().division());
      row.put("VDATU", o.requestedDate());
      row.put("BSTNK", o.purchNo().length() > 20 ? o.purchNo().substring(0, 20) : o.purchNo());
      row.put("KUNNR", o.soldTo());
      rows.add(row);
    }
    return rows;
  }
}
