package io.ferry.sapsim;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One customer as the simulator keeps it: general data (KNA1 with its address), sales-area data
 * (KNVV) and company-code data (KNB1). Mutable, so every holder works on its own {@link #copy()}.
 */
final class CustomerMaster {

  /** General data fields, named after their KNA1/ADRC meaning. */
  enum Attr { TITLE, NAME1, NAME2, NAME3, NAME4, STREET, HOUSE_NO, POSTL_CODE, CITY, DISTRICT, REGION,
    COUNTRY, LANGUAGE, PHONE, FAX, EMAIL, SORTL }

  record SalesData(String currency, String paymentTerms) {}

  record CompanyData(String reconciliationAccount, String paymentTerms) {}

  final String kunnr;
  String accountGroup;
  boolean person;
  /** KNA1-ERDAT ({@code yyyyMMdd}, blank when unknown) and KNA1-ERNAM: when and by whom it was created. */
  String createdOn = "";
  String createdBy = "";
  final EnumMap<Attr, String> general = new EnumMap<>(Attr.class);
  final Map<SalesAreaKey, SalesData> sales = new TreeMap<>(
      (a, b) -> a.toString().compareTo(b.toString()));
  final Map<String, CompanyData> companies = new TreeMap<>();

  CustomerMaster(String kunnr) {
    this.kunnr = kunnr;
  }

  String get(Attr a) {
    return general.getOrDefault(a, "");
  }

  void set(Attr a, String value) {
    if (value == null || value.isBlank()) {
      general.remove(a);
    } else {
      general.put(a, value);
    }
  }

  CustomerMaster copy() {
    CustomerMaster c = new CustomerMaster(kunnr);
    c.accountGroup = accountGroup;
    c.person = person;
    c.createdOn = createdOn;
    c.createdBy = createdBy;
    c.general.putAll(general);
    c.sales.putAll(sales);
    c.companies.putAll(companies);
    return c;
  }
}
