package io.ferry.odatapeer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The navigation properties the peer resolves. The EDMX's associations carry no referential
 * constraints, so which properties join source and target is written down here, as SAP's service
 * implementation knows it. Navigation properties not listed read as empty and cannot be deep-inserted.
 */
final class Links {

  /**
   * @param join target property → source property whose value it carries
   * @param many whether the navigation leads to a collection
   */
  record Link(String source, String navigation, String target, Map<String, String> join, boolean many) {

    /** The values every target row of {@code sourceData} has: the join columns. */
    Map<String, Object> targetValues(Map<String, Object> sourceData) {
      Map<String, Object> values = new LinkedHashMap<>();
      join.forEach((targetProperty, sourceProperty) -> {
        Object v = sourceData.get(sourceProperty);
        values.put(targetProperty, v == null && targetProperty.equals("Person") ? "" : v);
      });
      return values;
    }
  }

  static final List<Link> ALL = List.of(
      new Link("A_BusinessPartner", "to_BusinessPartnerAddress", "A_BusinessPartnerAddress",
          Map.of("BusinessPartner", "BusinessPartner"), true),
      new Link("A_BusinessPartner", "to_BusinessPartnerRole", "A_BusinessPartnerRole",
          Map.of("BusinessPartner", "BusinessPartner"), true),
      new Link("A_BusinessPartner", "to_Customer", "A_Customer", Map.of("Customer", "Customer"), false),
      new Link("A_Customer", "to_CustomerSalesArea", "A_CustomerSalesArea", Map.of("Customer", "Customer"), true),
      new Link("A_Customer", "to_CustomerCompany", "A_CustomerCompany", Map.of("Customer", "Customer"), true),
      new Link("A_BusinessPartnerAddress", "to_EmailAddress", "A_AddressEmailAddress",
          orderedMap("AddressID", "AddressID", "Person", "Person"), true),
      new Link("A_BusinessPartnerAddress", "to_PhoneNumber", "A_AddressPhoneNumber",
          orderedMap("AddressID", "AddressID", "Person", "Person"), true),
      // API_SALES_ORDER_SRV
      new Link("A_SalesOrder", "to_Item", "A_SalesOrderItem", Map.of("SalesOrder", "SalesOrder"), true),
      new Link("A_SalesOrderItem", "to_SalesOrder", "A_SalesOrder", Map.of("SalesOrder", "SalesOrder"), false));

  private Links() {}

  static Optional<Link> of(String sourceSet, String navigation) {
    return ALL.stream().filter(l -> l.source().equals(sourceSet) && l.navigation().equals(navigation)).findFirst();
  }

  /** The entity sets the peer stores, of both services. */
  static List<String> storedSets() {
    return List.of("A_BusinessPartner", "A_BusinessPartnerAddress", "A_BusinessPartnerRole", "A_Customer",
        "A_CustomerSalesArea", "A_CustomerCompany", "A_AddressEmailAddress", "A_AddressPhoneNumber",
        "A_SalesOrder", "A_SalesOrderItem");
  }

  private static Map<String, String> orderedMap(String k1, String v1, String k2, String v2) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }
}
