package io.ferry.sapsim;

import com.sap.conn.jco.JCoStructure;
import com.sap.conn.jco.JCoTable;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code BAPISDORDER_GETDETAILEDLIST} (orders by number, with header, items and partners as {@code I_BAPI_VIEW}
 * asks; no {@code RETURN}: an unknown number is simply missing from the tables) and
 * {@code BAPI_SALESORDER_GETLIST} (a customer's orders in a sales organisation, optionally with one customer
 * reference; one row per item, {@code RETURN} a BAPIRETURN).
 */
final class ReadSalesOrders {

  private ReadSalesOrders() {}

  static void detailedList(Call call) {
    JCoStructure view = call.importStructure("I_BAPI_VIEW");
    JCoTable keys = call.tables().getTable("SALES_DOCUMENTS");
    JCoTable headers = call.tables().getTable("ORDER_HEADERS_OUT");
    JCoTable items = call.tables().getTable("ORDER_ITEMS_OUT");
    JCoTable partners = call.tables().getTable("ORDER_PARTNERS_OUT");
    for (int i = 0; i < keys.getNumRows(); i++) {
      keys.setRow(i);
      Optional<SalesDocument> found = call.system().order(alpha(keys.getString("VBELN")));
      if (found.isEmpty()) {
        continue;
      }
      SalesDocument o = found.get();
      if ("X".equals(view.getString("HEADER"))) {
        headers.appendRow();
        headers.setValue("DOC_NUMBER", o.number());
        headers.setValue("DOC_TYPE", o.docType());
        headers.setValue("SALES_ORG", o.area().salesOrg());
        headers.setValue("DISTR_CHAN", o.area().distrChannel());
        headers.setValue("DIVISION", o.area().division());
        headers.setValue("SOLD_TO", o.soldTo());
        headers.setValue("PURCH_NO", o.purchNo().length() > 20 ? o.purchNo().substring(0, 20) : o.purchNo());
        headers.setValue("PURCH_NO_C", o.purchNo());
        headers.setValue("REQ_DATE_H", o.requestedDate());
        headers.setValue("NET_VAL_HD", o.netValue());
        headers.setValue("CURRENCY", o.currency());
        headers.setValue("REC_DATE", o.createdOn());
        headers.setValue("CREATED_BY", o.createdBy());
      }
      if ("X".equals(view.getString("ITEM"))) {
        for (SalesDocument.Line l : o.lines()) {
          items.appendRow();
          items.setValue("DOC_NUMBER", o.number());
          items.setValue("ITM_NUMBER", l.item());
          items.setValue("MATERIAL", l.material().length() > 18 ? "" : l.material());
          items.setValue("MATERIAL_LONG", l.material());
          items.setValue("SHORT_TEXT", l.text());
          items.setValue("REQ_QTY", l.quantity());
          items.setValue("SALES_UNIT", l.unit());
          items.setValue("NET_VALUE", l.netValue());
          items.setValue("NET_PRICE", l.netPrice());
          items.setValue("CURRENCY", o.currency());
          items.setValue("PLANT", l.plant());
          items.setValue("ITEM_CATEG", "TAN");
        }
      }
      if ("X".equals(view.getString("PARTNER"))) {
        partners.appendRow();
        partners.setValue("SD_DOC", o.number());
        partners.setValue("PARTN_ROLE", "AG");
        partners.setValue("CUSTOMER", o.soldTo());
      }
    }
  }

  static void getList(Call call) {
    String customer = alpha(call.importString("CUSTOMER_NUMBER"));
    String salesOrg = call.importString("SALES_ORGANIZATION").strip();
    String reference = call.importString("PURCHASE_ORDER_NUMBER").strip();
    JCoTable out = call.tables().getTable("SALES_ORDERS");
    if (call.system().committed(customer).isEmpty()) {
      Msg.customerDoesNotExist(customer).writeTo(call.exports().getStructure("RETURN"));
      return;
    }
    for (SalesDocument o : call.system().committedOrders()) {
      if (!o.soldTo().equals(customer) || !o.area().salesOrg().equals(salesOrg)
          || (!reference.isEmpty() && !o.purchNo().toUpperCase(Locale.ROOT).equals(reference.toUpperCase(Locale.ROOT)))) {
        continue;
      }
      for (SalesDocument.Line l : o.lines()) {
        out.appendRow();
        out.setValue("SD_DOC", o.number());
        out.setValue("ITM_NUMBER", l.item());
        out.setValue("MATERIAL", l.material().length() > 18 ? "" : l.material());
        out.setValue("MATERIAL_LONG", l.material());
        out.setValue("SHORT_TEXT", l.text());
        out.setValue("DOC_TYPE", o.docType());
        out.setValue("DOC_DATE", o.createdOn());
        out.setValue("SALES_ORG", o.area().salesOrg());
        out.setValue("SOLD_TO", o.soldTo());
        out.setValue("PURCH_NO", o.purchNo().length() > 20 ? o.purchNo().substring(0, 20) : o.purchNo());
        out.setValue("PURCH_NO_C", o.purchNo());
      }
    }
  }

  /** SAP's conversion exit ALPHA on a number: all digits are padded to ten with zeros, anything else is kept. */
  static String alpha(String number) {
    String n = number.strip();
    return n.matches("[0-9]{1,10}") ? String.format("%10s", n).replace(' ', '0') : n;
  }
}
