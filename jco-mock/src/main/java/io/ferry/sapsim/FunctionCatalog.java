package io.ferry.sapsim;

import static io.ferry.sapsim.FieldMeta.chars;
import static io.ferry.sapsim.FieldMeta.date;
import static io.ferry.sapsim.FieldMeta.integer;
import static io.ferry.sapsim.FieldMeta.packed;
import static io.ferry.sapsim.FieldMeta.structure;
import static io.ferry.sapsim.FieldMeta.table;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The function modules the simulated system has, with the interfaces SAP documents for them. A
 * name not in here does not exist: {@code JCoRepository.getFunction} answers {@code null}.
 */
final class FunctionCatalog {

  static final String CREATE = "BAPI_CUSTOMER_CREATEFROMDATA1";
  static final String CHANGE = "BAPI_CUSTOMER_CHANGEFROMDATA1";
  static final String GETDETAIL2 = "BAPI_CUSTOMER_GETDETAIL2";
  static final String GETDETAIL1 = "BAPI_CUSTOMER_GETDETAIL1";
  static final String GETSALESAREAS = "BAPI_CUSTOMER_GETSALESAREAS";
  static final String GETLIST = "BAPI_CUSTOMER_GETLIST";
  static final String FIND = "BAPI_CUSTOMER_FIND";
  static final String ORDER_CREATE = "BAPI_SALESORDER_CREATEFROMDAT2";
  static final String ORDER_DETAILS = "BAPISDORDER_GETDETAILEDLIST";
  static final String ORDER_LIST = "BAPI_SALESORDER_GETLIST";
  static final String COMMIT = "BAPI_TRANSACTION_COMMIT";
  static final String ROLLBACK = "BAPI_TRANSACTION_ROLLBACK";
  static final String COMPANYCODE_GETLIST = "BAPI_COMPANYCODE_GETLIST";
  static final String READ_TABLE = "RFC_READ_TABLE";
  static final String STFC_STRUCTURE = "STFC_STRUCTURE";

  private static final Map<String, FunctionSpec> SPECS = Stream.of(
      FunctionSpec.named(CREATE)
          .optionalIn(structure("PI_PERSONALDATA", Ddic.BAPIKNA101_1, "Personal data"))
          .optionalIn(structure("PI_OPT_PERSONALDATA", Ddic.BAPIKNA105, "Optional personal data"))
          .optionalIn(structure("PI_COMPANYDATA", Ddic.BAPIKNA106, "Company data"))
          .optionalIn(structure("PI_OPT_COMPANYDATA", Ddic.BAPIKNA105, "Optional company data"))
          .optionalIn(chars("PI_CONSUMEREN", 1, "Create as consumer"))
          .in(structure("PI_COPYREFERENCE", Ddic.BAPIKNA102, "Reference data"))
          .optionalIn(chars("PI_CREDIT_CONTROL_FLAG", 1, "Copy credit control data"))
          .out(chars("CUSTOMERNO", 10, "New customer number"))
          .out(structure("RETURN", Ddic.BAPIRETURN1, "Return value"))
          .handledBy(new CreateCustomer()),
      FunctionSpec.named(CHANGE)
          .in(chars("CUSTOMERNO", 10, "Customer to change"))
          .in(chars("PI_SALESORG", 4, "Sales organization"))
          .optionalIn(chars("PI_DISTR_CHAN", 2, "Distribution channel"))
          .optionalIn(chars("PI_DIVISION", 2, "Division"))
          .in(structure("PI_PERSONALDATA", Ddic.BAPIKNA101_1, "Personal data"))
          .in(structure("PI_PERSONALDATAX", Ddic.BAPIKNA101_1X, "Personal data update flags"))
          .optionalIn(structure("PI_OPT_PERSONALDATA", Ddic.BAPIKNA105, "Optional personal data"))
          .optionalIn(structure("PI_OPT_PERSONALDATAX", Ddic.BAPIKNA105X, "Optional personal data flags"))
          .optionalIn(structure("PI_COMPANYDATA", Ddic.BAPIKNA106, "Company data"))
          .optionalIn(structure("PI_COMPANYDATAX", Ddic.BAPIKNA106X, "Company data update flags"))
          .optionalIn(structure("PI_OPT_COMPANYDATA", Ddic.BAPIKNA105, "Optional company data"))
          .optionalIn(structure("PI_OPT_COMPANYDATAX", Ddic.BAPIKNA105X, "Optional company data flags"))
          .out(structure("RETURN", Ddic.BAPIRETURN1, "Return value"))
          .handledBy(new ChangeCustomer()),
      FunctionSpec.named(GETDETAIL2)
          .in(chars("CUSTOMERNO", 10, "Customer"))
          .optionalIn(chars("COMPANYCODE", 4, "Company code"))
          .out(structure("CUSTOMERADDRESS", Ddic.BAPICUSTOMER_04, "Address data"))
          .out(structure("CUSTOMERGENERALDETAIL", Ddic.BAPICUSTOMER_KNA1, "General data"))
          .out(structure("CUSTOMERCOMPANYDETAIL", Ddic.BAPICUSTOMER_05, "Company code data"))
          .out(structure("RETURN", Ddic.BAPIRET1, "Return code"))
          .table(table("CUSTOMERBANKDETAIL", Ddic.BAPICUSTOMER_02, "Bank details"), true)
          .table(table("CUSTOMERIBANDETAIL", Ddic.BAPICUSTOMER_03, "IBAN details"), true)
          .table(table("CUSTOMERSEPADETAIL", Ddic.BAPICUSTOMER_06, "SEPA mandates"), true)
          .handledBy(ReadCustomer::getDetail2),
      FunctionSpec.named(GETDETAIL1)
          .in(chars("CUSTOMERNO", 10, "Customer"))
          .in(chars("PI_SALESORG", 4, "Sales organization"))
          .optionalIn(chars("PI_DISTR_CHAN", 2, "Distribution channel"))
          .optionalIn(chars("PI_DIVISION", 2, "Division"))
          .out(structure("PE_COMPANYDATA", Ddic.BAPIKNA106, "Company data"))
          .out(structure("PE_OPT_COMPANYDATA", Ddic.BAPIKNA105, "Optional company data"))
          .out(structure("PE_PERSONALDATA", Ddic.BAPIKNA101_1, "Personal data"))
          .out(structure("PE_OPT_PERSONALDATA", Ddic.BAPIKNA105, "Optional personal data"))
          .out(structure("PE_PERSONALDATA_NEW", Ddic.BAPIKNA101_1, "Personal data"))
          .out(structure("PE_OPT_PERSONALDATA_NEW", Ddic.BAPIKNA105, "Optional personal data"))
          .out(chars("PE_CONSUMER_FLAG", 1, "Customer is consumer"))
          .out(structure("RETURN", Ddic.BAPIRETURN1, "Return value"))
          .handledBy(ReadCustomer::getDetail1),
      FunctionSpec.named(GETSALESAREAS)
          .in(chars("CUSTOMERNO", 10, "Customer"))
          .out(structure("RETURN", Ddic.BAPIRETURN, "Return value"))
          .table(table("SALESAREAS", Ddic.BAPIKNVVKY, "Sales areas"), false)
          .handledBy(ReadCustomer::getSalesAreas),
      FunctionSpec.named(GETLIST)
          .optionalIn(chars("CPDONLY", 1, "Read one-time customers only"))
          .optionalIn(integer("MAXROWS", "Maximum number of customers (0: all)"))
          .out(structure("RETURN", Ddic.BAPIRETURN1, "Return parameter"))
          .table(table("IDRANGE", Ddic.BAPICUSTOMER_IDRANGE, "Range of customer numbers"), false)
          .table(table("ADDRESSDATA", Ddic.BAPICUSTOMER_ADDRESSDATA, "Customer address data"), true)
          .table(table("SPECIALDATA", Ddic.BAPICUSTOMER_SPECIALDATA, "Special customer data"), true)
          .handledBy(ListCustomers::getList),
      FunctionSpec.named(FIND)
          .optionalIn(integer("MAX_CNT", "Maximum number of hits (0: all)"))
          .optionalIn(chars("PL_HOLD", 1, "X: FIELDVALUE may hold the placeholders * and +"))
          .out(structure("RETURN", Ddic.BAPIRETURN1, "Return value"))
          .table(table("SELOPT_TAB", Ddic.BAPIKNA110, "Search criteria"), false)
          .table(table("RESULT_TAB", Ddic.BAPIKNA111, "Customers found"), false)
          .handledBy(ListCustomers::find),
      FunctionSpec.named(ORDER_CREATE)
          .in(structure("ORDER_HEADER_IN", SalesDdic.BAPISDHD1, "Order header"))
          .optionalIn(structure("ORDER_HEADER_INX", SalesDdic.BAPISDHD1X, "Order header flags"))
          .optionalIn(chars("SALESDOCUMENTIN", 10, "Sales document number (external numbering)"))
          .optionalIn(chars("TESTRUN", 1, "Test run"))
          .optionalIn(chars("CONVERT", 1, "Convert partner function and order type codes"))
          .out(chars("SALESDOCUMENT", 10, "Number of the new sales document"))
          .table(table("RETURN", Ddic.BAPIRET2, "Return messages"), false)
          .table(table("ORDER_ITEMS_IN", SalesDdic.BAPISDITM, "Items"), true)
          .table(table("ORDER_PARTNERS", SalesDdic.BAPIPARNR, "Partners"), false)
          .table(table("ORDER_SCHEDULES_IN", SalesDdic.BAPISCHDL, "Schedule lines"), true)
          .handledBy(new CreateSalesOrder()),
      FunctionSpec.named(ORDER_DETAILS)
          .in(structure("I_BAPI_VIEW", SalesDdic.ORDER_VIEW, "Which parts to read"))
          .optionalIn(chars("I_MEMORY_READ", 1, "Read from memory"))
          .table(table("SALES_DOCUMENTS", SalesDdic.SALES_KEY, "Orders to read"), false)
          .table(table("ORDER_HEADERS_OUT", SalesDdic.BAPISDHD, "Headers"), true)
          .table(table("ORDER_ITEMS_OUT", SalesDdic.BAPISDIT, "Items"), true)
          .table(table("ORDER_PARTNERS_OUT", SalesDdic.BAPISDPART, "Partners"), true)
          .handledBy(ReadSalesOrders::detailedList),
      FunctionSpec.named(ORDER_LIST)
          .in(chars("CUSTOMER_NUMBER", 10, "Sold-to party"))
          .in(chars("SALES_ORGANIZATION", 4, "Sales organization"))
          .optionalIn(chars("MATERIAL", 18, "Material"))
          .optionalIn(chars("PURCHASE_ORDER", 20, "Customer purchase order number"))
          .optionalIn(chars("PURCHASE_ORDER_NUMBER", 35, "Customer purchase order number"))
          .out(structure("RETURN", Ddic.BAPIRETURN, "Return value"))
          .table(table("SALES_ORDERS", SalesDdic.BAPIORDERS, "Orders found, one row per item"), false)
          .handledBy(ReadSalesOrders::getList),
      FunctionSpec.named(COMMIT)
          .optionalIn(chars("WAIT", 1, "Wait for the update to finish"))
          .out(structure("RETURN", Ddic.BAPIRET2, "Return messages"))
          .handledBy(Transactions::commit),
      FunctionSpec.named(ROLLBACK)
          .out(structure("RETURN", Ddic.BAPIRET2, "Return messages"))
          .handledBy(Transactions::rollback),
      FunctionSpec.named(COMPANYCODE_GETLIST)
          .out(structure("RETURN", Ddic.BAPIRETURN, "Return Parameter"))
          .table(table("COMPANYCODE_LIST", RfcDdic.BAPI0002_1, "List of company codes"), false)
          .handledBy(ListCompanyCodes::getList),
      FunctionSpec.named(READ_TABLE)
          .in(chars("QUERY_TABLE", 30, "Table Name"))
          .optionalIn(chars("DELIMITER", 1, "Sign for indicating field limits in DATA").withDefault("SPACE"))
          .optionalIn(chars("NO_DATA", 1, "If <> SPACE, only FIELDS is filled").withDefault("SPACE"))
          .optionalIn(integer("ROWSKIPS", "Number of rows to skip").withDefault("0"))
          .optionalIn(integer("ROWCOUNT", "Maximum number of rows (0: all)").withDefault("0"))
          .table(table("OPTIONS", RfcDdic.RFC_DB_OPT, "Selection options (WHERE clause)"), false)
          .table(table("FIELDS", RfcDdic.RFC_DB_FLD, "Names (in) and structure (out) of the fields read"), false)
          .table(table("DATA", RfcDdic.TAB512, "Data read (out)"), false)
          .raises(ReadTable.TABLE_NOT_AVAILABLE, "Table not available")
          .raises(ReadTable.TABLE_WITHOUT_DATA, "Table without data (a structure)")
          .raises(ReadTable.OPTION_NOT_VALID, "Selection option not valid")
          .raises(ReadTable.FIELD_NOT_VALID, "Field not valid")
          .raises(ReadTable.NOT_AUTHORIZED, "No authorization to display the table")
          .raises(ReadTable.DATA_BUFFER_EXCEEDED, "Selected fields do not fit into the data buffer")
          .handledBy(ReadTable::read),
      FunctionSpec.named(FunctionSearch.NAME)
          .in(chars("FUNCNAME", 30, "Name of the function module (* as wildcard)"))
          .optionalIn(chars("GROUPNAME", 26, "Function group"))
          .optionalIn(chars("LANGUAGE", 1, "Language of the short texts"))
          .table(table("FUNCTIONS", RfcDdic.RFCFUNC, "Function modules found"), false)
          .raises(FunctionSearch.NOTHING_FOUND, "No function module found")
          .handledBy(FunctionSearch::search),
      FunctionSpec.named(STFC_STRUCTURE)
          .in(structure("IMPORTSTRUCT", RfcDdic.RFCTEST, "Import structure"))
          .out(structure("ECHOSTRUCT", RfcDdic.RFCTEST, "Echo of the import structure"))
          .out(chars("RESPTEXT", 255, "Response text"))
          .table(table("RFCTABLE", RfcDdic.RFCTEST, "Table, one row appended"), false)
          .handledBy(EchoTypes::stfcStructure),
      FunctionSpec.named(EchoTypes.ECHO)
          .in(structure("IS_ALL", RfcDdic.ZFERRY_ALL_TYPES, "One field of every type"))
          .in(chars("IV_CHAR", 20, "Character field, 20 characters"))
          .in(integer("IV_INT", "4-byte integer"))
          .in(packed("IV_AMOUNT", 8, 2, "Packed number, 8 bytes, 2 decimals"))
          .optionalIn(date("IV_DATE", "Date"))
          .optionalIn(chars("IV_OPTIONAL", 10, "Optional, default FERRY").withDefault("'" + EchoTypes.OPTIONAL_DEFAULT + "'"))
          .out(structure("ES_ALL", RfcDdic.ZFERRY_ALL_TYPES, "Echo of IS_ALL"))
          .out(chars("EV_CHAR", 20, "Echo of IV_CHAR"))
          .out(integer("EV_INT", "Echo of IV_INT"))
          .out(packed("EV_AMOUNT", 8, 2, "Echo of IV_AMOUNT"))
          .out(date("EV_DATE", "Echo of IV_DATE"))
          .out(chars("EV_OPTIONAL", 10, "IV_OPTIONAL, or its default"))
          .changing(integer("CV_COUNTER", "Counter, returned plus one"), true)
          .table(table("IT_ROWS", RfcDdic.ZFERRY_ALL_TYPES, "Rows to echo"), true)
          .table(table("ET_ROWS", RfcDdic.ZFERRY_ALL_TYPES, "Echo of IT_ROWS"), true)
          .handledBy(EchoTypes::echo))
      .collect(Collectors.toUnmodifiableMap(FunctionSpec::name, Function.identity()));

  private FunctionCatalog() {}

  /** The names of every function module the simulated system has. */
  static java.util.Set<String> names() {
    return SPECS.keySet();
  }

  static FunctionSpec find(String name) {
    return name == null ? null : SPECS.get(name);
  }
}
