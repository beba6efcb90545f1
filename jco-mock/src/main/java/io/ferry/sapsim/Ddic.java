package io.ferry.sapsim;

import static io.ferry.sapsim.FieldMeta.chars;
import static io.ferry.sapsim.FieldMeta.date;
import static io.ferry.sapsim.FieldMeta.integer;
import static io.ferry.sapsim.FieldMeta.numc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The DDIC structures the customer BAPIs use. Field names and lengths of BAPIKNA101_1, BAPIKNA106,
 * BAPIKNA105, BAPIKNA102, BAPIRETURN1/BAPIRET1 and BAPIRETURN add up to the structure lengths SAP
 * publishes for them (803, 841, 50, 18, 470, 452); the read structures of GETDETAIL2 and the sales
 * area line are marked unverified in the README. Field order is not SAP's and does not matter to
 * name-based access.
 */
final class Ddic {

  private Ddic() {}

  static final RecordMeta BAPIKNA101_1 = RecordMeta.of("BAPIKNA101_1",
      chars("TITLE_P", 30, "Form of address"),
      chars("FIRSTNAME", 40, "First name"),
      chars("LASTNAME", 40, "Last name"),
      chars("MIDDLENAME", 40, "Middle name"),
      chars("SECONDNAME", 40, "Second surname"),
      date("DATE_BIRTH", "Date of birth"),
      chars("CITY", 40, "City"),
      chars("DISTRICT", 40, "District"),
      chars("POSTL_COD1", 10, "City postal code"),
      chars("POSTL_COD2", 10, "PO box postal code"),
      chars("PO_BOX", 10, "PO box"),
      chars("PO_BOX_CIT", 40, "PO box city"),
      chars("STREET", 60, "Street"),
      chars("HOUSE_NO", 10, "House number"),
      chars("BUILDING", 20, "Building"),
      chars("FLOOR", 10, "Floor"),
      chars("ROOM_NO", 10, "Room number"),
      chars("COUNTRY", 3, "Country key"),
      chars("COUNTRYISO", 2, "Country ISO code"),
      chars("REGION", 3, "Region"),
      chars("TEL1_NUMBR", 30, "Telephone"),
      chars("TEL1_EXT", 10, "Telephone extension"),
      chars("FAX_NUMBER", 30, "Fax number"),
      chars("FAX_EXTENS", 10, "Fax extension"),
      chars("E_MAIL", 241, "E-mail address"),
      chars("LANGU_P", 1, "Language key"),
      chars("LANGUP_ISO", 2, "Language ISO code"),
      chars("CURRENCY", 5, "Currency key"),
      chars("CURRENCY_ISO", 3, "Currency ISO code"),
      chars("TITLE_KEY", 4, "Form-of-address key"),
      chars("ONLY_CHANGE_COMADDRESS", 1, "Change company address only"));

  static final RecordMeta BAPIKNA106 = RecordMeta.of("BAPIKNA106",
      chars("TITLE_KEY", 4, "Form-of-address key"),
      chars("NAME", 40, "Name 1"),
      chars("NAME_2", 40, "Name 2"),
      chars("NAME_3", 40, "Name 3"),
      chars("NAME_4", 40, "Name 4"),
      chars("C_O_NAME", 40, "c/o name"),
      chars("CITY", 40, "City"),
      chars("DISTRICT", 40, "District"),
      chars("CITY_NO", 12, "City code"),
      chars("POSTL_COD1", 10, "City postal code"),
      chars("POSTL_COD2", 10, "PO box postal code"),
      chars("POSTL_COD3", 10, "Company postal code"),
      chars("PO_BOX", 10, "PO box"),
      chars("PO_BOX_CIT", 40, "PO box city"),
      chars("DELIV_DIS", 15, "Delivery district"),
      chars("STREET", 60, "Street"),
      chars("HOUSE_NO", 10, "House number"),
      chars("BUILDING", 20, "Building"),
      chars("FLOOR", 10, "Floor"),
      chars("ROOM_NO", 10, "Room number"),
      chars("COUNTRY", 3, "Country key"),
      chars("COUNTRYISO", 2, "Country ISO code"),
      chars("REGION", 3, "Region"),
      chars("TEL1_NUMBR", 30, "Telephone"),
      chars("TEL1_EXT", 10, "Telephone extension"),
      chars("FAX_NUMBER", 30, "Fax number"),
      chars("FAX_EXTENS", 10, "Fax extension"),
      chars("E_MAIL", 241, "E-mail address"),
      chars("LANGU", 1, "Language key"),
      chars("LANGU_ISO", 2, "Language ISO code"),
      chars("CURRENCY", 5, "Currency key"),
      chars("CURRENCY_ISO", 3, "Currency ISO code"));

  static final RecordMeta BAPIKNA105 = RecordMeta.of("BAPIKNA105",
      chars("TRANSPZONE", 10, "Transportation zone"),
      chars("CONTROL_ACCOUNT", 10, "Reconciliation account"),
      chars("PMNTTRMS", 4, "Terms of payment key"),
      chars("SHIP_COND", 2, "Shipping conditions"),
      chars("DELYG_PLNT", 4, "Delivering plant"),
      chars("PART_DLV", 1, "Partial delivery"),
      chars("C_CTR_AREA", 4, "Credit control area"),
      chars("TAXJURCODE", 15, "Tax jurisdiction"));

  /** The X twins: one CHAR1 update flag per data field. */
  static final RecordMeta BAPIKNA101_1X = flags("BAPIKNA101_1X", BAPIKNA101_1, "ONLY_CHANGE_COMADDRESS");
  static final RecordMeta BAPIKNA106X = flags("BAPIKNA106X", BAPIKNA106);
  static final RecordMeta BAPIKNA105X = flags("BAPIKNA105X", BAPIKNA105);

  static final RecordMeta BAPIKNA102 = RecordMeta.of("BAPIKNA102",
      chars("SALESORG", 4, "Sales organization"),
      chars("DISTR_CHAN", 2, "Distribution channel"),
      chars("DIVISION", 2, "Division"),
      chars("REF_CUSTMR", 10, "Reference customer"));

  private static FieldMeta[] returnCore() {
    return new FieldMeta[] {
        chars("TYPE", 1, "Message type"),
        chars("ID", 20, "Message class"),
        numc("NUMBER", 3, "Message number"),
        chars("MESSAGE", 220, "Message text"),
        chars("LOG_NO", 20, "Application log number"),
        numc("LOG_MSG_NO", 6, "Application log message number"),
        chars("MESSAGE_V1", 50, "Message variable 1"),
        chars("MESSAGE_V2", 50, "Message variable 2"),
        chars("MESSAGE_V3", 50, "Message variable 3"),
        chars("MESSAGE_V4", 50, "Message variable 4")};
  }

  static final RecordMeta BAPIRETURN1 = RecordMeta.of("BAPIRETURN1", returnCore());
  static final RecordMeta BAPIRET1 = RecordMeta.of("BAPIRET1", returnCore());
  static final RecordMeta BAPIRET2 = new RecordMeta("BAPIRET2", Stream.concat(Stream.of(returnCore()), Stream.of(
      chars("PARAMETER", 32, "Parameter name"),
      integer("ROW", "Line in parameter"),
      chars("FIELD", 30, "Field in parameter"),
      chars("SYSTEM", 10, "Logical system"))).toList());

  /** The pre-4.5 return structure: message class and number together in CODE. */
  static final RecordMeta BAPIRETURN = RecordMeta.of("BAPIRETURN",
      chars("TYPE", 1, "Message type"),
      chars("CODE", 5, "Message code"),
      chars("MESSAGE", 220, "Message text"),
      chars("LOG_NO", 20, "Application log number"),
      numc("LOG_MSG_NO", 6, "Application log message number"),
      chars("MESSAGE_V1", 50, "Message variable 1"),
      chars("MESSAGE_V2", 50, "Message variable 2"),
      chars("MESSAGE_V3", 50, "Message variable 3"),
      chars("MESSAGE_V4", 50, "Message variable 4"));

  /** Line of BAPI_CUSTOMER_GETSALESAREAS-SALESAREAS (structure name unverified). */
  static final RecordMeta BAPIKNVVKY = RecordMeta.of("BAPIKNVVKY",
      chars("CUSTOMER", 10, "Customer"),
      chars("SALESORG", 4, "Sales organization"),
      chars("DISTRCHANN", 2, "Distribution channel"),
      chars("DIVISION", 2, "Division"));

  /** GETDETAIL2 address data (fields unverified). */
  static final RecordMeta BAPICUSTOMER_04 = RecordMeta.of("BAPICUSTOMER_04",
      chars("CUSTOMER", 10, "Customer"),
      chars("NAME", 35, "Name 1"),
      chars("NAME_2", 35, "Name 2"),
      chars("NAME_3", 35, "Name 3"),
      chars("NAME_4", 35, "Name 4"),
      chars("CITY", 35, "City"),
      chars("DISTRICT", 35, "District"),
      chars("POSTL_COD1", 10, "Postal code"),
      chars("STREET", 35, "Street"),
      chars("COUNTRY", 3, "Country key"),
      chars("COUNTRYISO", 2, "Country ISO code"),
      chars("REGION", 3, "Region"),
      chars("LANGU", 1, "Language key"),
      chars("LANGU_ISO", 2, "Language ISO code"),
      chars("TELEPHONE", 16, "Telephone"),
      chars("FAX_NUMBER", 31, "Fax number"),
      chars("E_MAIL", 241, "E-mail address"));

  /** GETDETAIL2 general data (fields unverified). */
  static final RecordMeta BAPICUSTOMER_KNA1 = RecordMeta.of("BAPICUSTOMER_KNA1",
      chars("CUSTOMER", 10, "Customer"),
      chars("ACCNT_GRP", 4, "Account group"),
      chars("NAME", 35, "Name 1"),
      chars("NAME_2", 35, "Name 2"),
      chars("CITY", 35, "City"),
      chars("COUNTRY", 3, "Country key"),
      chars("LANGU", 1, "Language key"),
      chars("SORTL", 10, "Sort field"));

  /** GETDETAIL2 company code data (fields unverified). */
  static final RecordMeta BAPICUSTOMER_05 = RecordMeta.of("BAPICUSTOMER_05",
      chars("CUSTOMER", 10, "Customer"),
      chars("COMP_CODE", 4, "Company code"),
      chars("RECON_ACCOUNT", 10, "Reconciliation account"),
      chars("PMNTTRMS", 4, "Terms of payment key"));

  /** GETDETAIL2 bank details line (fields unverified; the simulator keeps no bank data). */
  static final RecordMeta BAPICUSTOMER_02 = RecordMeta.of("BAPICUSTOMER_02",
      chars("CUSTOMER", 10, "Customer"),
      chars("BANK_CTRY", 3, "Bank country"),
      chars("BANK_KEY", 15, "Bank key"),
      chars("BANK_ACCT", 18, "Bank account"));

  /** GETDETAIL2 IBAN line (fields unverified; the simulator keeps no bank data). */
  static final RecordMeta BAPICUSTOMER_03 = RecordMeta.of("BAPICUSTOMER_03",
      chars("BANK_CTRY", 3, "Bank country key"),
      chars("BANK_KEY", 15, "Bank key"),
      chars("BANK_ACCT", 18, "Bank account number"),
      chars("IBAN", 34, "IBAN (International Bank Account Number)"));

  /** GETDETAIL2 SEPA mandate line (fields unverified; the simulator keeps no mandates). */
  static final RecordMeta BAPICUSTOMER_06 = RecordMeta.of("BAPICUSTOMER_06",
      chars("MNDID", 35, "Unique Reference to Mandate per Payment Recipient"),
      date("SIGN_DATE", "Date of Signature"));

  /** Line of BAPI_CUSTOMER_GETLIST-IDRANGE: a range of customer numbers (SAP documents 23 characters). */
  static final RecordMeta BAPICUSTOMER_IDRANGE = RecordMeta.of("BAPICUSTOMER_IDRANGE",
      chars("SIGN", 1, "I include, E exclude"),
      chars("OPTION", 2, "EQ, NE, GT, GE, LT, LE, BT, NB, CP, NP"),
      chars("LOW", 10, "Customer number, lower bound"),
      chars("HIGH", 10, "Customer number, upper bound"));

  /**
   * Line of BAPI_CUSTOMER_GETLIST-ADDRESSDATA. SAP documents the structure's name and a length of 258;
   * public callers read CUSTOMER, NAME, STREET, CITY, REGION, COUNTRYISO, POSTL_COD1 and TEL1_NUMBR from
   * it. The other fields and all lengths are unverified.
   */
  static final RecordMeta BAPICUSTOMER_ADDRESSDATA = RecordMeta.of("BAPICUSTOMER_ADDRESSDATA",
      chars("CUSTOMER", 10, "Customer"),
      chars("NAME", 35, "Name 1"),
      chars("STREET", 35, "Street and house number"),
      chars("PO_BOX", 10, "PO box"),
      chars("POSTL_COD1", 10, "City postal code"),
      chars("CITY", 35, "City"),
      chars("DISTRICT", 35, "District"),
      chars("TEL1_NUMBR", 16, "Telephone"),
      chars("FAX_NUMBER", 31, "Fax number"),
      chars("COUNTRY", 3, "Country key"),
      chars("COUNTRYISO", 2, "Country ISO code"),
      chars("REGION", 3, "Region"),
      chars("LANGU", 1, "Language key"),
      chars("LANGU_ISO", 2, "Language ISO code"));

  /** Line of BAPI_CUSTOMER_GETLIST-SPECIALDATA (SAP documents 11 characters; the fields are unverified). */
  static final RecordMeta BAPICUSTOMER_SPECIALDATA = RecordMeta.of("BAPICUSTOMER_SPECIALDATA",
      chars("CUSTOMER", 10, "Customer"),
      chars("ONE_TIME", 1, "One-time customer"));

  /** Line of BAPI_CUSTOMER_FIND-SELOPT_TAB, as SAP's generated proxies (release 620) describe it: 196 characters. */
  static final RecordMeta BAPIKNA110 = RecordMeta.of("BAPIKNA110",
      chars("COMP_CODE", 4, "Company code"),
      chars("TABNAME", 30, "Table name"),
      chars("FIELDNAME", 30, "Field name"),
      chars("FIELDVALUE", 132, "Field value"));

  /** Line of BAPI_CUSTOMER_FIND-RESULT_TAB, as SAP's generated proxies (release 620) describe it: 680 characters. */
  static final RecordMeta BAPIKNA111 = new RecordMeta("BAPIKNA111", Stream.concat(Stream.of(
      chars("COMP_CODE", 4, "Company code"),
      chars("TABNAME", 30, "Table name"),
      chars("FIELDNAME", 30, "Field name"),
      chars("FIELDVALUE", 132, "Field value"),
      chars("CUSTOMER", 10, "Customer"),
      chars("PSTG_BLK_G", 1, "Central posting block"),
      chars("PSTG_BLK_C", 1, "Posting block for company code"),
      chars("DEL_FLAG_G", 1, "Central deletion flag"),
      chars("DEL_FLAG_C", 1, "Deletion flag for company code")), Stream.of(returnCore())).toList());

  private static final Map<String, RecordMeta> ALL = Stream.concat(Stream.concat(SalesDdic.ALL.stream(), RfcDdic.ALL.stream()), Stream.of(BAPIKNA101_1,
          BAPIKNA106, BAPIKNA105, BAPIKNA101_1X, BAPIKNA106X, BAPIKNA105X, BAPIKNA102, BAPIRETURN1, BAPIRET1,
          BAPIRET2, BAPIRETURN, BAPIKNVVKY, BAPICUSTOMER_04, BAPICUSTOMER_KNA1, BAPICUSTOMER_05, BAPICUSTOMER_02, BAPICUSTOMER_03, BAPICUSTOMER_06,
          BAPICUSTOMER_IDRANGE, BAPICUSTOMER_ADDRESSDATA, BAPICUSTOMER_SPECIALDATA, BAPIKNA110, BAPIKNA111))
      .collect(Collectors.toUnmodifiableMap(RecordMeta::getName, Function.identity()));

  static RecordMeta structure(String name) {
    return ALL.get(name);
  }

  private static RecordMeta flags(String name, RecordMeta data, String... without) {
    List<FieldMeta> fields = new ArrayList<>();
    List<String> skip = List.of(without);
    for (FieldMeta f : data.fields()) {
      if (!skip.contains(f.name())) {
        fields.add(chars(f.name(), 1, "Update flag for " + f.name()));
      }
    }
    return new RecordMeta(name, fields);
  }
}
