package io.ferry.agent.sap.odata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.agent.sap.SapConversions;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.SalesArea;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The canonical customer ↔ {@code API_BUSINESS_PARTNER}: which property of which entity holds each
 * field, and the conversions (language as SAP's ISO code {@code EN}, ISO country and currency as SAP's
 * keys, customer numbers: ten digits with leading zeros to engines, SAP's external form to SAP —
 * {@link #externalNumber}). agent/README.md has the table.
 */
final class PartnerMapping {

  /** The business partner roles a customer gets: FI customer and SD customer. */
  static final List<String> ROLES = List.of("FLCU00", "FLCU01");

  /** What a read expands: the address with its e-mail and phone, and the customer with sales areas and company codes. */
  static final String EXPAND = "to_BusinessPartnerAddress,to_BusinessPartnerAddress/to_EmailAddress,"
      + "to_BusinessPartnerAddress/to_PhoneNumber,to_Customer,to_Customer/to_CustomerSalesArea,"
      + "to_Customer/to_CustomerCompany";

  /** Properties SAP keeps in upper case ({@code sap:display-format="UpperCase"} in the EDMX). */
  /** Leading zeros of a number of digits only (at least one digit stays). */
  private static final Pattern LEADING_ZEROS = Pattern.compile("^0+(?=\\d+$)");

  private static final Set<String> UPPER_CASE = Set.of("SearchTerm1", "SearchTerm2", "BusinessPartnerIDByExtSystem");

  /** A field on one of the entities, with its conversion to SAP's form. */
  private record Field(String canonical, String property, Function<Customer, String> getter, Converter toSap) {}

  @FunctionalInterface
  private interface Converter {
    String apply(String canonical);
  }

  private static final List<Field> PARTNER = List.of(
      new Field("name", "OrganizationBPName1", Customer::name, v -> v),
      new Field("name2", "OrganizationBPName2", Customer::name2, v -> v),
      new Field("language", "CorrespondenceLanguage", Customer::language, SapConversions::toSapIsoLanguage));

  private static final List<Field> ADDRESS = List.of(
      new Field("street", "StreetName", Customer::street, v -> v),
      new Field("houseNumber", "HouseNumber", Customer::houseNumber, v -> v),
      new Field("postalCode", "PostalCode", Customer::postalCode, v -> v),
      new Field("city", "CityName", Customer::city, v -> v),
      new Field("region", "Region", Customer::region, v -> v.toUpperCase(Locale.ROOT)),
      new Field("country", "Country", Customer::country, SapConversions::toSapCountry),
      new Field("language", "Language", Customer::language, SapConversions::toSapIsoLanguage));

  private final String externalIdProperty;
  private final String grouping;

  PartnerMapping(String externalIdProperty, String grouping) {
    this.externalIdProperty = externalIdProperty;
    this.grouping = grouping;
  }

  String externalIdProperty() {
    return externalIdProperty;
  }

  /** The external id as SAP stores it in the configured property. */
  String externalIdValue(String externalId) {
    return UPPER_CASE.contains(externalIdProperty) ? externalId.toUpperCase(Locale.ROOT) : externalId;
  }

  /** The deep insert of {@code A_BusinessPartner} for a new customer. */
  ObjectNode createPayload(Customer c) throws SapException {
    ObjectNode bp = ODataErrors.JSON.createObjectNode();
    bp.put("BusinessPartnerCategory", "2");
    if (grouping != null) {
      bp.put("BusinessPartnerGrouping", grouping);
    }
    putAll(bp, PARTNER, c);
    if (c.externalId() != null) {
      bp.put(externalIdProperty, externalIdValue(c.externalId()));
    }
    ObjectNode address = results(bp, "to_BusinessPartnerAddress").addObject();
    putAll(address, ADDRESS, c);
    if (c.email() != null) {
      results(address, "to_EmailAddress").addObject().put("EmailAddress", c.email());
    }
    if (c.phone() != null) {
      results(address, "to_PhoneNumber").addObject().put("PhoneNumber", c.phone());
    }
    ArrayNode roles = results(bp, "to_BusinessPartnerRole");
    ROLES.forEach(r -> roles.addObject().put("BusinessPartnerRole", r));
    ObjectNode customer = bp.putObject("to_Customer");
    SalesArea area = c.salesArea();
    ObjectNode salesArea = results(customer, "to_CustomerSalesArea").addObject();
    salesArea.put("SalesOrganization", area.salesOrganization());
    salesArea.put("DistributionChannel", area.distributionChannel());
    salesArea.put("Division", area.division());
    if (c.currency() != null) {
      salesArea.put("Currency", convert("currency", c.currency(), SapConversions::toSapCurrency));
    }
    if (c.companyCode() != null) {
      results(customer, "to_CustomerCompany").addObject().put("CompanyCode", c.companyCode().toUpperCase(Locale.ROOT));
    }
    return bp;
  }

  /** The business partner properties a patch changes; a named field without value is cleared (""). */
  Map<String, String> partnerChanges(CustomerPatch patch) throws SapException {
    Map<String, String> changes = changes(PARTNER, patch);
    if (patch.names("externalId")) {
      String v = patch.values().externalId();
      changes.put(externalIdProperty, v == null ? "" : externalIdValue(v));
    }
    return changes;
  }

  Map<String, String> addressChanges(CustomerPatch patch) throws SapException {
    return changes(ADDRESS, patch);
  }

  /** The customer as SAP holds it, from an {@code A_BusinessPartner} read with {@link #EXPAND}. */
  Customer toCustomer(JsonNode bp, SalesArea preferredArea, String preferredCompany) {
    Customer.Builder b = Customer.builder()
        .customerNumber(canonical(text(bp, "Customer"), SapConversions::toExternalCustomerNumber))
        .externalId(text(bp, externalIdProperty))
        .name(text(bp, "OrganizationBPName1"))
        .name2(text(bp, "OrganizationBPName2"));
    JsonNode address = first(bp.path("to_BusinessPartnerAddress"));
    String language = text(address, "Language");
    b.language(canonical(language != null ? language : text(bp, "CorrespondenceLanguage"), SapConversions::fromSapIsoLanguage))
        .street(text(address, "StreetName"))
        .houseNumber(text(address, "HouseNumber"))
        .postalCode(text(address, "PostalCode"))
        .city(text(address, "CityName"))
        .region(text(address, "Region"))
        .country(canonical(text(address, "Country"), SapConversions::toIsoCountry))
        .email(text(preferred(address.path("to_EmailAddress"), "IsDefaultEmailAddress"), "EmailAddress"))
        .phone(text(preferred(address.path("to_PhoneNumber"), "IsDefaultPhoneNumber"), "PhoneNumber"));
    JsonNode area = salesArea(bp, preferredArea);
    if (!area.isMissingNode()) {
      b.salesArea(new SalesArea(text(area, "SalesOrganization"), text(area, "DistributionChannel"), text(area, "Division")))
          .currency(canonical(text(area, "Currency"), SapConversions::toIsoCurrency));
    }
    JsonNode company = MissingNode.getInstance();
    for (JsonNode c : rows(bp.path("to_Customer").path("to_CustomerCompany"))) {
      if (company.isMissingNode() || c.path("CompanyCode").asText().equalsIgnoreCase(preferredCompany)) {
        company = c;
      }
    }
    b.companyCode(text(company, "CompanyCode"));
    return b.build();
  }

  /** The sales area to read or change: the preferred one if the customer has it, else the first. */
  static JsonNode salesArea(JsonNode bp, SalesArea preferred) {
    JsonNode chosen = MissingNode.getInstance();
    for (JsonNode a : rows(bp.path("to_Customer").path("to_CustomerSalesArea"))) {
      boolean match = preferred != null
          && a.path("SalesOrganization").asText().equalsIgnoreCase(preferred.salesOrganization())
          && a.path("DistributionChannel").asText().equalsIgnoreCase(preferred.distributionChannel())
          && a.path("Division").asText().equalsIgnoreCase(preferred.division());
      if (match) {
        return a;
      }
      if (chosen.isMissingNode() && preferred == null) {
        chosen = a;
      }
    }
    return chosen;
  }

  /** The rows of a to-many navigation property as V2 JSON writes them ({@code {"results":[…]}}, or a bare array). */
  static List<JsonNode> rows(JsonNode navigation) {
    JsonNode results = navigation.isArray() ? navigation : navigation.path("results");
    List<JsonNode> rows = new ArrayList<>();
    results.forEach(rows::add);
    return rows;
  }

  static JsonNode first(JsonNode navigation) {
    List<JsonNode> rows = rows(navigation);
    return rows.isEmpty() ? MissingNode.getInstance() : rows.get(0);
  }

  /** The row flagged as default, else the first. */
  private static JsonNode preferred(JsonNode navigation, String defaultFlag) {
    List<JsonNode> rows = rows(navigation);
    return rows.stream().filter(r -> r.path(defaultFlag).asBoolean(false)).findFirst()
        .orElse(rows.isEmpty() ? MissingNode.getInstance() : rows.get(0));
  }

  /**
   * A customer number as Ferry sends it to SAP when SAP has not named it first: the external form, what
   * SAP Gateway answers for an ALPHA-typed number (ALPHA output: a number of digits only without its
   * leading zeros, {@code 0000012345} → {@code 12345}; anything else as it is, in upper case). A service
   * with the ALPHA exit converts it back; one without it, or a property without it, matches only this
   * form. Engines may send either form ({@link SapConversions#toInternalCustomerNumber} checks it first);
   * where SAP answered a number (a create, a read), Ferry sends that value as it came.
   *
   * @throws IllegalArgumentException when it is not a customer number
   */
  static String externalNumber(String customerNumber) {
    String internal = SapConversions.toInternalCustomerNumber(customerNumber);
    return LEADING_ZEROS.matcher(internal).replaceFirst("");
  }

  /** An OData key segment: {@code A_BusinessPartner('100001')}, quotes in values doubled. */
  static String key(String entitySet, String... namesAndValues) {
    if (namesAndValues.length == 1) {
      return entitySet + "(" + literal(namesAndValues[0]) + ")";
    }
    StringBuilder b = new StringBuilder(entitySet).append('(');
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.append(i == 0 ? "" : ",").append(namesAndValues[i]).append('=').append(literal(namesAndValues[i + 1]));
    }
    return b.append(')').toString();
  }

  /**
   * The single string key of {@code entitySet} that {@code location} (a {@code Location} header, absolute
   * or relative) ends in — {@code …/A_BusinessPartner('100001')} → {@code 100001} — or null.
   */
  static String keyOf(String entitySet, String location) {
    if (location == null) {
      return null;
    }
    String decoded;
    try {
      decoded = URLDecoder.decode(location.strip().replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    Matcher m = Pattern.compile(Pattern.quote(entitySet) + "\\('((?:[^']|'')*)'\\)$").matcher(decoded);
    if (!m.find()) {
      return null;
    }
    String key = m.group(1).replace("''", "'");
    return key.isBlank() ? null : key;
  }

  /** An OData V2 string literal: {@code 'O''Brien'}. */
  static String literal(String value) {
    return "'" + (value == null ? "" : value.replace("'", "''")) + "'";
  }

  static String text(JsonNode node, String property) {
    JsonNode v = node.path(property);
    return v.isMissingNode() || v.isNull() || v.asText().isBlank() ? null : v.asText();
  }

  private static Map<String, String> changes(List<Field> fields, CustomerPatch patch) throws SapException {
    Map<String, String> changes = new LinkedHashMap<>();
    for (Field f : fields) {
      if (patch.names(f.canonical())) {
        String v = f.getter().apply(patch.values());
        changes.put(f.property(), v == null ? "" : convert(f.canonical(), v, f.toSap()));
      }
    }
    return changes;
  }

  private static void putAll(ObjectNode node, List<Field> fields, Customer c) throws SapException {
    for (Field f : fields) {
      String v = f.getter().apply(c);
      if (v != null) {
        node.put(f.property(), convert(f.canonical(), v, f.toSap()));
      }
    }
  }

  private static String convert(String field, String value, Converter converter) throws SapException {
    try {
      return converter.apply(value);
    } catch (IllegalArgumentException e) {
      throw ODataErrors.business(field + ": " + e.getMessage(), List.of());
    }
  }

  /** SAP's value in canonical form; a key Ferry cannot translate is left out rather than failing the read. */
  private static String canonical(String sapValue, Converter converter) {
    if (sapValue == null) {
      return null;
    }
    try {
      return converter.apply(sapValue);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static ArrayNode results(ObjectNode parent, String navigation) {
    return parent.putObject(navigation).putArray("results");
  }
}
