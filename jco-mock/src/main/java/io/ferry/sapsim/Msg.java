package io.ferry.sapsim;


/**
 * One message a BAPI answers in its RETURN parameter. {@code text} may hold {@code &1}..{@code &4}
 * placeholders for the variables, as SAP's T100 texts do. The catalogue of every message the
 * simulator emits, and which are SAP's own, is in jco-mock/README.md.
 */
record Msg(char type, String id, String number, String text, String v1, String v2, String v3, String v4) {

  /** The class of messages this simulator invents; Z is SAP's customer namespace. */
  static final String SIM = "ZFERRY_SIM";

  static Msg of(char type, String id, String number, String text, String... vars) {
    String[] v = new String[4];
    for (int i = 0; i < 4; i++) {
      v[i] = i < vars.length && vars[i] != null ? vars[i] : "";
    }
    return new Msg(type, id, number, text, v[0], v[1], v[2], v[3]);
  }

  boolean isError() {
    return type == 'E' || type == 'A';
  }

  String message() {
    return text.replace("&1", v1).replace("&2", v2).replace("&3", v3).replace("&4", v4);
  }

  /** Fills a BAPIRETURN1, BAPIRET1, BAPIRET2 or (with CODE) BAPIRETURN structure. */
  void writeTo(com.sap.conn.jco.JCoRecord ret) {
    ret.setValue("TYPE", String.valueOf(type));
    if (ret.getMetaData().hasField("CODE")) {
      ret.setValue("CODE", id + number);
    } else {
      ret.setValue("ID", id);
      ret.setValue("NUMBER", number);
    }
    ret.setValue("MESSAGE", message());
    ret.setValue("MESSAGE_V1", v1);
    ret.setValue("MESSAGE_V2", v2);
    ret.setValue("MESSAGE_V3", v3);
    ret.setValue("MESSAGE_V4", v4);
  }

  // --- SAP's own messages (class and number from SAP's function documentation) ---

  static Msg customerDoesNotExist(String kunnr) {
    return of('E', "F2", "502", "Debtor &1 does not exist", kunnr);
  }

  static Msg notInSalesArea(String kunnr, SalesAreaKey area) {
    return of('E', "F2", "156", "Debtor &1 is not created for sales area &2 &3 &4",
        kunnr, area.salesOrg(), area.distrChannel(), area.division());
  }

  static Msg notInCompanyCode(String kunnr, String companyCode) {
    return of('E', "F2", "503", "Debtor &1 exists but has not been created in company code &2",
        kunnr, companyCode);
  }

  static Msg noSalesData() {
    return of('E', "QC", "160", "No sales data was found");
  }

  /** GETLIST's documented answer when the selection finds nobody; FIND answers it too (assumed). */
  static Msg noCustomersFound() {
    return of('E', "F2", "718", "No customers were found for the selection criteria");
  }

  /** GETLIST: a range row with a SIGN other than I or E (class, number and text from GETLIST's documentation). */
  static Msg invalidRangeSign(String sign) {
    return of('E', "S&", "026", "Ranges: Value &1 in field SIGN is invalid. Allowed values are I, E.", sign);
  }

  /** GETLIST: a range row with an unknown OPTION (class, number and text from GETLIST's documentation). */
  static Msg invalidRangeOption(String option) {
    return of('E', "S&", "027", "Ranges: Value &1 in field OPTION is invalid (EQ,NE,GT,GE,LE,LT,BT,NB,CP,NP)", option);
  }

  /**
   * The customer is locked (enqueue EXKNA1) by another session. Class, number and text are SAP's as far
   * as we remember them (XD02's "already being processed" message); unverified.
   */
  static Msg customerLocked(String kunnr, String user) {
    return of('E', "F2", "042", "Account &1 is already being processed by &2", kunnr, user);
  }

  /** Class and number as reference/sap.md gives them for a failed posting; the text is invented. */
  static Msg postingFailed() {
    return of('E', "S&", "101", "Posting in the update task failed; nothing was saved (simulated)");
  }

  /** As {@link #postingFailed()}, when the simulator's data file could not be written; the text is invented. */
  static Msg postingFailed(String why) {
    return of('E', "S&", "101", "Posting in the update task failed; nothing was saved (simulated: &1)",
        why.length() > 50 ? why.substring(0, 50) : why);
  }

  // --- invented by the simulator (class ZFERRY_SIM) ---

  static Msg personalOrCompanyNotBoth() {
    return of('E', SIM, "001", "Fill either personal data or company data, not both");
  }

  static Msg personalOrCompanyMissing() {
    return of('E', SIM, "002", "Fill personal data or company data");
  }

  static Msg referenceIncomplete(String field) {
    return of('E', SIM, "003", "Reference data incomplete: &1 is empty", field);
  }

  static Msg salesAreaUndefined(SalesAreaKey area) {
    return of('E', SIM, "004", "Sales area &1 &2 &3 is not defined",
        area.salesOrg(), area.distrChannel(), area.division());
  }

  static Msg required(String field) {
    return of('E', SIM, "010", "Field &1 is required", field);
  }

  static Msg tooLong(String field, int max) {
    return of('E', SIM, "011", "Field &1 is longer than &2 characters", field, String.valueOf(max));
  }

  static Msg unknownLanguage(String value) {
    return of('E', SIM, "012", "Language &1 is not defined", value);
  }

  static Msg unknownCountry(String value) {
    return of('E', SIM, "013", "Country &1 is not defined", value);
  }

  static Msg unknownCurrency(String value) {
    return of('E', SIM, "014", "Currency &1 is not defined", value);
  }

  static Msg currencyNeedsSalesArea() {
    return of('E', SIM, "015", "Enter the complete sales area to change the currency");
  }

  static Msg searchNotSupported(String table, String field) {
    return of('E', SIM, "020", "The simulator cannot search &1-&2", table, field);
  }

  static Msg searchCriteriaMissing() {
    return of('E', SIM, "021", "Enter at least one search criterion in SELOPT_TAB");
  }

  static Msg created(String kunnr) {
    return of('S', SIM, "100", "Customer &1 has been created", kunnr);
  }

  static Msg changed(String kunnr) {
    return of('S', SIM, "101", "Customer &1 has been changed", kunnr);
  }

  // --- sales orders (BAPI_SALESORDER_CREATEFROMDAT2); which are SAP's own is in jco-mock/README.md ---

  static Msg orderSaved(String docTypeText, String number) {
    return of('S', "V1", "311", "&1 &2 has been saved", docTypeText, number);
  }

  static Msg orderNotChanged() {
    return of('E', "V4", "219", "Sales document was not changed");
  }

  static Msg orderSalesAreaUndefined(SalesAreaKey area) {
    return of('E', "CZ", "115", "Sales area &1 &2 &3 does not exist", area.salesOrg(), area.distrChannel(),
        area.division());
  }

  static Msg orderTypeUndefined(String docType) {
    return of('E', "V1", "412", "Sales document type &1 is not defined", docType);
  }

  static Msg partnerNotMaintained(String kunnr) {
    return of('E', "VP", "206", "Partner not maintained (sold-to party &1)", kunnr);
  }

  static Msg soldToMissing() {
    return of('E', "V1", "382", "Enter a sold-to party (partner function AG)");
  }

  static Msg orderBlocked(String kunnr) {
    return of('E', "V1", "462", "Sold-to party &1 is blocked for sales orders", kunnr);
  }

  static Msg noItems() {
    return of('E', "V1", "761", "The sales document has no items");
  }

  static Msg materialNotInSalesOrg(String material, SalesAreaKey area) {
    return of('E', "V1", "392", "Material &1 is not defined for sales org.&2, distr.chan.&3, language EN", material,
        area.salesOrg(), area.distrChannel());
  }

  static Msg materialNotInPlant(String material, String plant) {
    return of('E', "V1", "393", "Material &1 is not maintained in plant &2", material, plant);
  }

  static Msg quantityMissing(String item) {
    return of('E', "V1", "374", "Item &1: enter an order quantity", item);
  }

  static Msg orderDoesNotExist(String number) {
    return of('E', "V1", "302", "SD document &1 is not in the database or has been archived", number);
  }
}
