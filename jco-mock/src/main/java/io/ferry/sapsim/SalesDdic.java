package io.ferry.sapsim;

import static io.ferry.sapsim.FieldMeta.bcd;
import static io.ferry.sapsim.FieldMeta.chars;
import static io.ferry.sapsim.FieldMeta.date;
import static io.ferry.sapsim.FieldMeta.numc;

import java.util.List;

/**
 * The DDIC structures of the sales-order BAPIs, with the fields Ferry and SAP's published samples use (SAP's
 * structures have many more; name-based access does not miss them). Names, types and lengths follow SAP's
 * parameter documentation as summarised in the project's SAP reference; {@code BAPISDHD-PURCH_NO_C} and
 * {@code BAPIORDERS-SOLD_TO} are marked unverified in jco-mock/README.md.
 */
final class SalesDdic {

  private SalesDdic() {}

  static final RecordMeta BAPISDHD1 = RecordMeta.of("BAPISDHD1",
      chars("DOC_TYPE", 4, "Sales document type"),
      chars("SALES_ORG", 4, "Sales organization"),
      chars("DISTR_CHAN", 2, "Distribution channel"),
      chars("DIVISION", 2, "Division"),
      chars("PURCH_NO_C", 35, "Customer purchase order number"),
      date("PURCH_DATE", "Customer purchase order date"),
      date("REQ_DATE_H", "Requested delivery date"),
      date("DOC_DATE", "Document date"),
      date("PRICE_DATE", "Pricing date"),
      chars("CURRENCY", 5, "Currency"),
      chars("PMNTTRMS", 4, "Terms of payment"));

  static final RecordMeta BAPISDHD1X = RecordMeta.of("BAPISDHD1X",
      chars("UPDATEFLAG", 1, "Update indicator"),
      chars("DOC_TYPE", 1, "Flag"),
      chars("SALES_ORG", 1, "Flag"),
      chars("DISTR_CHAN", 1, "Flag"),
      chars("DIVISION", 1, "Flag"),
      chars("PURCH_NO_C", 1, "Flag"),
      chars("REQ_DATE_H", 1, "Flag"));

  static final RecordMeta BAPISDITM = RecordMeta.of("BAPISDITM",
      numc("ITM_NUMBER", 6, "Item number"),
      chars("MATERIAL", 18, "Material"),
      chars("MATERIAL_LONG", 40, "Material (40 characters)"),
      bcd("TARGET_QTY", 13, 3, "Target quantity"),
      chars("TARGET_QU", 3, "Target quantity unit"),
      chars("PLANT", 4, "Plant"),
      chars("ITEM_CATEG", 4, "Item category"),
      chars("SHORT_TEXT", 40, "Short text"));

  static final RecordMeta BAPISCHDL = RecordMeta.of("BAPISCHDL",
      numc("ITM_NUMBER", 6, "Item number"),
      numc("SCHED_LINE", 4, "Schedule line"),
      date("REQ_DATE", "Requested date"),
      bcd("REQ_QTY", 13, 3, "Order quantity"));

  static final RecordMeta BAPIPARNR = RecordMeta.of("BAPIPARNR",
      chars("PARTN_ROLE", 2, "Partner function"),
      chars("PARTN_NUMB", 10, "Customer number"),
      numc("ITM_NUMBER", 6, "Item number (0: header)"));

  static final RecordMeta SALES_KEY = RecordMeta.of("SALES_KEY",
      chars("VBELN", 10, "Sales document"));

  static final RecordMeta ORDER_VIEW = RecordMeta.of("ORDER_VIEW",
      chars("HEADER", 1, "Header"),
      chars("ITEM", 1, "Items"),
      chars("SDSCHEDULE", 1, "Schedule lines"),
      chars("PARTNER", 1, "Partners"));

  static final RecordMeta BAPISDHD = RecordMeta.of("BAPISDHD",
      chars("DOC_NUMBER", 10, "Sales document"),
      chars("DOC_TYPE", 4, "Sales document type"),
      chars("SALES_ORG", 4, "Sales organization"),
      chars("DISTR_CHAN", 2, "Distribution channel"),
      chars("DIVISION", 2, "Division"),
      chars("SOLD_TO", 10, "Sold-to party"),
      chars("PURCH_NO", 20, "Customer purchase order number"),
      chars("PURCH_NO_C", 35, "Customer purchase order number"),
      date("REQ_DATE_H", "Requested delivery date"),
      bcd("NET_VAL_HD", 15, 2, "Net value"),
      chars("CURRENCY", 5, "Currency"),
      date("REC_DATE", "Created on"),
      chars("CREATED_BY", 12, "Created by"));

  static final RecordMeta BAPISDIT = RecordMeta.of("BAPISDIT",
      chars("DOC_NUMBER", 10, "Sales document"),
      numc("ITM_NUMBER", 6, "Item number"),
      chars("MATERIAL", 18, "Material"),
      chars("MATERIAL_LONG", 40, "Material (40 characters)"),
      chars("SHORT_TEXT", 40, "Short text"),
      bcd("REQ_QTY", 15, 3, "Order quantity"),
      chars("SALES_UNIT", 3, "Sales unit"),
      bcd("NET_VALUE", 15, 2, "Net value"),
      bcd("NET_PRICE", 11, 2, "Net price"),
      chars("CURRENCY", 5, "Currency"),
      chars("PLANT", 4, "Plant"),
      chars("ITEM_CATEG", 4, "Item category"));

  static final RecordMeta BAPISDPART = RecordMeta.of("BAPISDPART",
      chars("SD_DOC", 10, "Sales document"),
      numc("ITM_NUMBER", 6, "Item number"),
      chars("PARTN_ROLE", 2, "Partner function"),
      chars("CUSTOMER", 10, "Customer"));

  static final RecordMeta BAPIORDERS = RecordMeta.of("BAPIORDERS",
      chars("SD_DOC", 10, "Sales document"),
      numc("ITM_NUMBER", 6, "Item number"),
      chars("MATERIAL", 18, "Material"),
      chars("MATERIAL_LONG", 40, "Material (40 characters)"),
      chars("SHORT_TEXT", 40, "Short text"),
      chars("DOC_TYPE", 4, "Sales document type"),
      date("DOC_DATE", "Document date"),
      chars("SALES_ORG", 4, "Sales organization"),
      chars("SOLD_TO", 10, "Sold-to party"),
      chars("PURCH_NO", 20, "Customer purchase order number"),
      chars("PURCH_NO_C", 35, "Customer purchase order number"));

  static final List<RecordMeta> ALL = List.of(BAPISDHD1, BAPISDHD1X, BAPISDITM, BAPISCHDL, BAPIPARNR, SALES_KEY,
      ORDER_VIEW, BAPISDHD, BAPISDIT, BAPISDPART, BAPIORDERS);
}
