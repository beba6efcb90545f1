package io.ferry.odatapeer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.olingo.odata2.api.commons.HttpStatusCodes;
import org.apache.olingo.odata2.api.edm.EdmEntitySet;
import org.apache.olingo.odata2.api.edm.EdmException;
import org.apache.olingo.odata2.api.edm.EdmNavigationProperty;
import org.apache.olingo.odata2.api.ep.entry.ODataEntry;
import org.apache.olingo.odata2.api.ep.feed.ODataFeed;

/**
 * A create, with its inline children (deep insert): first every row is checked, and only when all
 * pass are numbers drawn and rows stored, so a refused request leaves nothing behind and uses no
 * number, like a rolled-back SAP LUW.
 *
 * <p>Keys the service assigns: {@code BusinessPartner} (the number range, unless the request names a
 * free number), {@code Customer} (the business partner's number, as with CVI's "same number"
 * setting), {@code AddressID}, {@code Person} (empty for an organization's address) and the
 * {@code OrdinalNumber} of e-mail addresses and phone numbers. Join columns come from the parent.
 */
final class DeepInsert {

  /** One row to create and its inline children by navigation property. */
  private record Plan(String set, Map<String, Object> data, String target, List<Children> children) {}

  private record Children(Links.Link link, List<Plan> plans) {}

  /** What was created: the top row, and the messages for the {@code sap-message} header. */
  record Result(Store.Row row, List<SapError.Detail> messages) {}

  private final Store store;
  private final List<SapError.Detail> problems = new ArrayList<>();
  private final List<SapError.Detail> messages = new ArrayList<>();

  DeepInsert(Store store) {
    this.store = store;
  }

  /**
   * @param linked join values from the parent when the create goes through a navigation property
   *     ({@code POST A_BusinessPartnerAddress(…)/to_EmailAddress}); empty otherwise
   */
  Result create(EdmEntitySet set, ODataEntry entry, Map<String, Object> linked) throws SapError, EdmException {
    Plan plan = plan(set, entry, set.getName(), linked.keySet());
    checkKeys(plan, linked);
    if (!problems.isEmpty()) {
      throw new SapError(HttpStatusCodes.BAD_REQUEST, problems);
    }
    Store.Row row = insert(plan, linked);
    String what = row.set.equals("A_BusinessPartner") ? "Business partner " + external("BusinessPartner", row.data)
        : store.describe(row);
    messages.add(0, new SapError.Detail("ZFERRY_PEER/001", what + " created", "", "success"));
    return new Result(row, messages);
  }

  private Plan plan(EdmEntitySet set, ODataEntry entry, String target, Set<String> linkedKeys)
      throws EdmException {
    Map<String, Object> data = new LinkedHashMap<>();
    List<Children> children = new ArrayList<>();
    for (Map.Entry<String, Object> p : entry.getProperties().entrySet()) {
      Object value = p.getValue();
      if (value instanceof ODataFeed || value instanceof ODataEntry) {
        EdmNavigationProperty nav = (EdmNavigationProperty) set.getEntityType().getProperty(p.getKey());
        Links.Link link = Links.of(set.getName(), p.getKey()).orElse(null);
        if (link == null) {
          problems.add(SapError.Detail.error("ZFERRY_PEER/501", "The peer does not store " + p.getKey()
              + " of " + set.getName() + "; leave it out", target + "/" + p.getKey()));
          continue;
        }
        EdmEntitySet childSet = set.getRelatedEntitySet(nav);
        List<ODataEntry> entries = value instanceof ODataFeed f ? f.getEntries() : List.of((ODataEntry) value);
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
          String childTarget = target + "/" + p.getKey() + (link.many() ? "(" + i + ")" : "");
          plans.add(plan(childSet, entries.get(i), childTarget, link.join().keySet()));
        }
        children.add(new Children(link, plans));
      } else if (!PartnerProcessor.readOnly(set, p.getKey(), "creatable")) {
        data.put(p.getKey(), value);
      }
    }
    data = store.alpha().input(data);
    Checks.normalize(set.getName(), data);
    Checks.onCreate(set.getName(), data, target, problems);
    for (String key : store.keyNames(set.getName())) {
      if (!assigned(set.getName(), key) && !linkedKeys.contains(key) && Checks.blank(data.get(key))) {
        problems.add(SapError.Detail.error("ZFERRY_PEER/011", target + ": key property " + key + " is required",
            target + "/" + key));
      }
    }
    return new Plan(set.getName(), data, target, children);
  }

  /** Keys already taken, or named twice in one request. */
  private void checkKeys(Plan plan, Map<String, Object> linked) {
    Map<String, Object> keyData = new LinkedHashMap<>(plan.data());
    keyData.putAll(linked);
    if (store.keyNames(plan.set()).stream().allMatch(k -> keyData.get(k) != null) && store.exists(plan.set(), keyData)) {
      problems.add(SapError.Detail.error("ZFERRY_PEER/012", plan.target() + " " + store.key(plan.set(), keyData)
          + " exists already", plan.target()));
    }
    for (Children c : plan.children()) {
      Set<List<Object>> seen = new HashSet<>();
      for (Plan child : c.plans()) {
        boolean ownKeysOnly = store.keyNames(child.set()).stream()
            .allMatch(k -> c.link().join().containsKey(k) || child.data().get(k) != null);
        if (ownKeysOnly && !assignsKey(child.set()) && !seen.add(store.key(child.set(), child.data()))) {
          problems.add(SapError.Detail.error("ZFERRY_PEER/012", child.target() + " is named twice", child.target()));
        }
      }
    }
  }

  private Store.Row insert(Plan plan, Map<String, Object> linked) {
    Map<String, Object> data = new LinkedHashMap<>(plan.data());
    data.putAll(linked);
    switch (plan.set()) {
      case "A_BusinessPartner" -> {
        if (Checks.blank(data.get("BusinessPartner"))) {
          data.put("BusinessPartner", store.nextPartnerNumber());
        }
        if (plan.children().stream().anyMatch(c -> c.link().navigation().equals("to_Customer"))) {
          data.put("Customer", data.get("BusinessPartner"));
          messages.add(new SapError.Detail("ZFERRY_PEER/002", "Customer " + external("BusinessPartner", data) + " created",
              "", "success"));
        }
        if (Checks.blank(data.get("BusinessPartnerGrouping"))) {
          data.put("BusinessPartnerGrouping", Checks.DEFAULT_GROUPING);
          messages.add(new SapError.Detail("ZFERRY_PEER/003", "No grouping given: business partner "
              + external("BusinessPartner", data) + " has the default grouping " + Checks.DEFAULT_GROUPING, "", "warning"));
        }
        Object name1 = data.get("OrganizationBPName1");
        if (name1 != null) {
          Object name2 = data.get("OrganizationBPName2");
          data.put("BusinessPartnerName", name1);
          data.put("BusinessPartnerFullName", Checks.blank(name2) ? name1 : name1 + " " + name2);
        }
      }
      case "A_BusinessPartnerAddress" -> {
        data.put("AddressID", store.nextAddressNumber());
        data.put("Person", "");
      }
      case "A_AddressEmailAddress", "A_AddressPhoneNumber" -> {
        data.putIfAbsent("Person", "");
        if (Checks.blank(data.get("OrdinalNumber"))) {
          int next = store.where(plan.set(), Map.of("AddressID", data.get("AddressID"), "Person", data.get("Person")))
              .size() + 1;
          data.put("OrdinalNumber", String.format("%03d", next));
        }
      }
      default -> { }
    }
    Store.Row row = store.insert(plan.set(), data);
    for (Children c : plan.children()) {
      for (Plan child : c.plans()) {
        insert(child, c.link().targetValues(row.data));
      }
    }
    return row;
  }

  /** A number as SAP's messages show it: in the external form. */
  private Object external(String property, Map<String, Object> data) {
    return store.alpha().output(property, data.get(property));
  }

  private static boolean assigned(String set, String key) {
    return switch (set) {
      case "A_BusinessPartner" -> key.equals("BusinessPartner");
      case "A_BusinessPartnerAddress" -> key.equals("AddressID") || key.equals("Person");
      case "A_AddressEmailAddress", "A_AddressPhoneNumber" -> key.equals("OrdinalNumber") || key.equals("Person");
      default -> false;
    };
  }

  private static boolean assignsKey(String set) {
    return !set.equals("A_BusinessPartnerRole") && !set.equals("A_CustomerSalesArea")
        && !set.equals("A_CustomerCompany") && !set.equals("A_Customer");
  }
}
