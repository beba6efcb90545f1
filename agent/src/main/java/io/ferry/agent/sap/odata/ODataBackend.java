package io.ferry.agent.sap.odata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.agent.sap.CallPolicy;
import io.ferry.agent.sap.Correlation;
import io.ferry.agent.sap.CustomerSearch;
import io.ferry.agent.customer.CustomerPort;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapConversions;
import io.ferry.agent.sap.SapDiagnosis;
import io.ferry.agent.sap.SapDiagnosis.Check;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SapException.Kind;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.SalesArea;
import io.ferry.protocol.SapMessage;
import io.ferry.protocol.SearchQuery;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * The SAP backend for S/4HANA over OData: the business partner API {@code API_BUSINESS_PARTNER}
 * through SAP Gateway.
 *
 * <ul>
 *   <li>create: one deep insert {@code POST A_BusinessPartner} (organization, roles FLCU00 and FLCU01,
 *       the address with e-mail and phone, {@code to_Customer} with the sales area and the company code),
 *       then a re-read; SAP's {@code sap-message} header becomes {@code sapMessages};
 *   <li>read: {@code GET A_BusinessPartner?$filter=Customer eq '…'&$expand=…} — one request for the partner,
 *       its address, e-mail, phone, sales areas and company codes;
 *   <li>search: the same read with {@code substringof} on the names and the external id, {@code Customer gt}
 *       the cursor, {@code $orderby=Customer} and {@code $top} — one request per page;
 *   <li>update: {@code MERGE} (or {@code PATCH}) of only the entities whose fields the patch names, each with
 *       {@code If-Match} from the ETag read just before; a {@code 412} is a BUSINESS failure
 *       {@link SapErrorCodes#CONFLICT}; then a re-read;
 *   <li>the CSRF token is fetched once and refreshed once on {@code 403} + {@code X-CSRF-Token: Required}
 *       ({@link ODataClient}: one refresh for all threads, each token sent with its own session cookie);
 *   <li>customer numbers go to SAP in the form SAP answers them: as SAP named them (keys of a read row, the
 *       number a create answered), else the external form {@link PartnerMapping#externalNumber}; engines
 *       get the ten-digit form either way, as from the BAPI backend.
 * </ul>
 *
 * Safe for concurrent calls: each call is its own series of HTTP requests on a shared OkHttp client.
 *
 * <p>Why one class of over 600 lines: it is the customer mapping of {@code API_BUSINESS_PARTNER} for every customer
 * operation, and they share the read by key, the number forms, the CSRF session and the error mapping; the field
 * mapping ({@link PartnerMapping}), the diagnosis ({@link ODataDiagnosis}) and sales orders ({@link ODataSalesOrders})
 * are apart already. Split it further when a second customer service needs a second mapping.
 */
public final class ODataBackend implements SapBackend, CustomerPort {

  static final String PARTNERS = "A_BusinessPartner";
  /** Every entity set this backend addresses (besides the service document and {@code $metadata}). */
  public static final List<String> ENTITY_SETS = java.util.stream.Stream.concat(java.util.stream.Stream.of(PARTNERS,
      "A_BusinessPartnerAddress", "A_AddressEmailAddress", "A_AddressPhoneNumber", "A_CustomerSalesArea"),
      ODataSalesOrders.ENTITY_SETS.stream()).toList();

  private final ODataSettings settings;
  private final ODataClient client;
  private final PartnerMapping mapping;
  private final ODataSalesOrders salesOrders;
  /** The A_BusinessPartner property a create marks with its correlation; null for none. */
  private final String correlationProperty;

  /**
   * Builds the HTTP client (and loads the client certificate, if one is configured); no request is
   * sent until the first call. {@link IllegalArgumentException} when the certificate cannot be used.
   */
  public ODataBackend(ODataSettings settings) {
    this(settings, CallPolicy.PERMIT_ALL);
  }

  /** @param calls asked before every request to SAP (the agent's on-prem allowlist) */
  public ODataBackend(ODataSettings settings, CallPolicy calls) {
    this(settings, calls, "SearchTerm2".equals(settings.externalIdProperty()) ? "SearchTerm1" : "SearchTerm2");
  }

  /**
   * @param correlationProperty the {@code A_BusinessPartner} property a create marks with its
   *     {@link Correlation} ({@code sap.correlation-field}), or null for none
   */
  public ODataBackend(ODataSettings settings, CallPolicy calls, String correlationProperty) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.client = new ODataClient(settings, Objects.requireNonNull(calls, "calls"));
    this.mapping = new PartnerMapping(settings.externalIdProperty(), settings.grouping());
    this.correlationProperty = correlationProperty;
    this.salesOrders = new ODataSalesOrders(settings, calls);
  }

  /** Customers (this class, API_BUSINESS_PARTNER), their changes ({@link ODataCustomerChanges}) and sales orders ({@link ODataSalesOrders}, API_SALES_ORDER_SRV). */
  @Override
  public <P> Optional<P> port(Class<P> type) {
    if (type == io.ferry.agent.changes.CustomerChangePort.class) {
      return Optional.of(type.cast(changes(ODataCustomerChanges.PAGE)));
    }
    return type == io.ferry.agent.salesorder.SalesOrderPort.class ? Optional.of(type.cast(salesOrders))
        : SapBackend.super.port(type);
  }

  /** The change port reading {@code pageSize} partners per request. */
  ODataCustomerChanges changes(int pageSize) {
    return new ODataCustomerChanges(client, (url, action) -> json(get(url, action), action), pageSize);
  }

  @Override
  public String name() {
    return "odata";
  }

  @Override
  public Customer create(Customer customer) throws SapException {
    return create(customer, null);
  }

  @Override
  public Optional<Correlation> correlation(String jobId) {
    return correlationProperty == null ? Optional.empty()
        : Optional.of(Correlation.of(PARTNERS + "." + correlationProperty, jobId));
  }

  /**
   * The deep insert, answered from its 201 body (a read by key only when that body is unusable). SAP surely
   * did not act (UNAVAILABLE) when the connection was refused, the CSRF token fetch before the POST failed,
   * or the POST was answered 408 or 429; it may have (OUTCOME_UNKNOWN) after any other I/O failure, a 5xx
   * answer to the POST, or a failed read after the 201.
   */
  @Override
  public Customer create(Customer customer, Correlation correlation) throws SapException {
    if (customer.salesArea() == null) {
      throw ODataErrors.business("salesArea is required to create a customer in SAP", List.of());
    }
    ObjectNode payload = mapping.createPayload(customer);
    if (correlation != null && correlationProperty != null) {
      payload.put(correlationProperty, correlation.value());
    }
    String action = "creating a customer";
    ODataClient.Reply r = client.create(client.url(PARTNERS).build(), payload.toString(), action);
    try {
      return created(customer, payload, r, action);
    } catch (SapException e) {
      throw e.kind() == Kind.BUSINESS ? e : ODataErrors.outcomeUnknown(e);
    }
  }

  /**
   * The customer SAP answered 201 for. SAP Gateway answers the created partner with the children the deep
   * insert carried, inline: that body is the answer, with no further request. Only a body Ferry cannot
   * use (not JSON, no customer number, a child sent but not answered inline) costs one read by key
   * ({@code A_BusinessPartner('…')} with {@link PartnerMapping#EXPAND}), the partner taken from the body
   * or the {@code Location} header.
   */
  private Customer created(Customer customer, ObjectNode payload, ODataClient.Reply r, String action)
      throws SapException {
    List<SapMessage> messages = ODataErrors.fromSapMessageHeader(r.header("sap-message"));
    JsonNode d = answered(r).path("d");
    JsonNode bp = withCustomerNumber(d);
    if (PartnerMapping.text(bp, "Customer") != null && inline(payload, bp)) {
      return mapping.toCustomer(bp, customer.salesArea(), customer.companyCode()).withSapMessages(messages);
    }
    String partner = PartnerMapping.text(d, "BusinessPartner");
    if (partner == null) {
      partner = PartnerMapping.keyOf(PARTNERS, r.header("Location"));
    }
    if (partner == null) {
      json(r, action); // not JSON: the configuration problem it names
      throw ODataErrors.configuration("SAP answered " + action + " with 201 but named neither the business partner "
          + "nor its Location; check that nothing between Ferry and " + settings.serviceUrl() + " rewrites SAP's answers",
          messages);
    }
    bp = withCustomerNumber(partnerByKey(partner, "reading the new business partner " + partner));
    if (PartnerMapping.text(bp, "Customer") == null) {
      throw ODataErrors.business("SAP created business partner " + partner + " but answered no customer number; "
          + "check that the partner grouping creates customers (CVI)", messages);
    }
    return mapping.toCustomer(bp, customer.salesArea(), customer.companyCode()).withSapMessages(messages);
  }

  /** The reply's JSON, or a missing node when it has none. */
  private static JsonNode answered(ODataClient.Reply r) {
    try {
      JsonNode body = ODataErrors.JSON.readTree(r.body());
      return body == null ? MissingNode.getInstance() : body;
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }

  /** {@code bp} with its {@code Customer} set from {@code to_Customer} when SAP answered it only there. */
  private static JsonNode withCustomerNumber(JsonNode bp) {
    String nested = PartnerMapping.text(bp.path("to_Customer"), "Customer");
    if (bp instanceof ObjectNode o && PartnerMapping.text(o, "Customer") == null && nested != null) {
      return o.deepCopy().put("Customer", nested);
    }
    return bp;
  }

  /**
   * Whether every navigation property the deep insert sent came back inline with at least as many rows,
   * down to the e-mail and phone: then the answer holds all a read by key would.
   */
  static boolean inline(JsonNode sent, JsonNode answered) {
    if (!answered.isObject()) {
      return false;
    }
    for (var fields = sent.fields(); fields.hasNext(); ) {
      var field = fields.next();
      JsonNode child = field.getValue();
      if (!child.isObject()) {
        continue;
      }
      JsonNode back = answered.path(field.getKey());
      if (back.has("__deferred") || !back.isContainerNode()) {
        return false;
      }
      if (child.has("results")) {
        List<JsonNode> sentRows = PartnerMapping.rows(child);
        List<JsonNode> backRows = PartnerMapping.rows(back);
        if (!(back.isArray() || back.path("results").isArray()) || backRows.size() < sentRows.size()) {
          return false;
        }
        for (int i = 0; i < sentRows.size(); i++) {
          if (!inline(sentRows.get(i), backRows.get(i))) {
            return false;
          }
        }
      } else if (!inline(child, back)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Customer read(String customerNumber) throws SapException {
    String number = internal(customerNumber);
    return read(PartnerMapping.externalNumber(number), null, null, "reading customer " + number);
  }

  @Override
  public Customer update(String customerNumber, CustomerPatch patch) throws SapException {
    String number = internal(customerNumber);
    Update u = new Update(number);
    Map<String, String> partnerChanges = mapping.partnerChanges(patch);
    Map<String, String> addressChanges = mapping.addressChanges(patch);
    SalesArea requested = patch.names("salesArea") ? patch.values().salesArea() : null;
    JsonNode bp = partner(PartnerMapping.externalNumber(number), u.action);
    // Keys as SAP answered them: the service matches its own form, with or without the ALPHA exit.
    String partner = PartnerMapping.text(bp, "BusinessPartner");
    String customer = PartnerMapping.text(bp, "Customer");

    if (!partnerChanges.isEmpty()) {
      u.change(PartnerMapping.key(PARTNERS, partner), partnerChanges, bp, "the business partner's names");
    }
    JsonNode address = PartnerMapping.first(bp.path("to_BusinessPartnerAddress"));
    boolean communication = patch.names("email") || patch.names("phone");
    if ((!addressChanges.isEmpty() || communication) && address.isMissingNode()) {
      throw ODataErrors.business("customer " + number + " has no address in SAP to change", List.of());
    }
    if (!addressChanges.isEmpty()) {
      u.change(addressKey(partner, address), addressChanges, address, "the address");
    }
    if (patch.names("currency")) {
      JsonNode area = PartnerMapping.salesArea(bp, requested);
      if (area.isMissingNode()) {
        throw ODataErrors.business("customer " + number + " has no sales area " + (requested == null ? "" : requested + " ")
            + "in SAP whose currency could change", List.of());
      }
      String currency = patch.values().currency() == null ? "" : convertCurrency(patch.values().currency());
      u.change(PartnerMapping.key("A_CustomerSalesArea", "Customer", customer,
          "SalesOrganization", area.path("SalesOrganization").asText(),
          "DistributionChannel", area.path("DistributionChannel").asText(),
          "Division", area.path("Division").asText()), Map.of("Currency", currency), area, "the sales area's currency");
    }
    if (patch.names("email")) {
      u.communication(partner, address, "to_EmailAddress", "A_AddressEmailAddress", "EmailAddress", patch.values().email(),
          "the e-mail address");
    }
    if (patch.names("phone")) {
      u.communication(partner, address, "to_PhoneNumber", "A_AddressPhoneNumber", "PhoneNumber", patch.values().phone(),
          "the phone number");
    }
    return mapping.toCustomer(partnerByKey(partner, u.action + " (reading it back)"), requested, null)
        .withSapMessages(u.messages);
  }

  /** {@code GET A_BusinessPartner?$filter=<property> eq '<value>'&$expand=…}; two or more is BUSINESS. */
  @Override
  public Optional<Customer> findByCorrelation(Correlation correlation) throws SapException {
    if (correlationProperty == null) {
      return CustomerPort.super.findByCorrelation(correlation);
    }
    String action = "looking up the customer created with " + correlation;
    List<JsonNode> customers = customersWhere(correlationProperty, correlation.value(), action);
    if (customers.size() > 1) {
      throw ODataErrors.business(customers.size() + " customers in SAP carry " + correlation, List.of());
    }
    return customers.isEmpty() ? Optional.empty() : Optional.of(mapping.toCustomer(customers.get(0), null, null));
  }

  @Override
  public Optional<Customer> findByExternalId(String externalId) throws SapException {
    String action = "looking up the customer with external id " + externalId;
    String value = mapping.externalIdValue(externalId);
    List<JsonNode> customers = customersWhere(mapping.externalIdProperty(), value, action);
    if (customers.size() > 1) {
      throw ODataErrors.business(customers.size() + " customers in SAP carry the external id " + value + " in "
          + mapping.externalIdProperty() + " (" + customers.stream().map(c -> shown(c.path("Customer").asText())).toList()
          + "); Ferry cannot tell which one is meant", List.of());
    }
    return customers.isEmpty() ? Optional.empty() : Optional.of(mapping.toCustomer(customers.get(0), null, null));
  }

  /** The business partners that are customers with {@code property eq 'value'}, with their expansions. */
  private List<JsonNode> customersWhere(String property, String value, String action) throws SapException {
    HttpUrl url = client.url(PARTNERS)
        .addQueryParameter("$filter", property + " eq " + PartnerMapping.literal(value))
        .addQueryParameter("$expand", PartnerMapping.EXPAND)
        .build();
    List<JsonNode> customers = new ArrayList<>();
    for (JsonNode row : results(get(url, action), action)) {
      if (PartnerMapping.text(row, "Customer") != null) {
        customers.add(row);
      }
    }
    return customers;
  }

  /**
   * One page in ascending customer number after the cursor: {@code GET A_BusinessPartner?$filter=(substringof('text',
   * OrganizationBPName1) or substringof('text',OrganizationBPName2) or … (each of the text's {@link #caseForms}) or
   * substringof('TEXT',SearchTerm1)) and
   * Customer gt 'cursor'&$orderby=Customer&$top=top+1&$expand=…} — one request. The external id property gets the
   * text as SAP keeps that property ({@link PartnerMapping#externalIdValue}: upper case for the search terms);
   * {@code Customer gt ''} leaves out partners that are not customers. One row more than the page, or a
   * {@code __next} link (SAP Gateway may cut a page short), means there is a next page.
   */
  @Override
  public CustomerPage search(SearchQuery query) throws SapException {
    String action = query.text() == null ? "listing customers" : "searching customers for '" + query.text() + "'";
    StringBuilder filter = new StringBuilder();
    if (query.text() != null) {
      // Names ignore case (CustomerSearch), but SAP compares as written and SAP Gateway's $filter has no
      // toupper/tolower (SADL answers them with an error): the text is asked for in the case forms names are
      // written in — as typed, upper, lower, capitalised, each word capitalised.
      filter.append('(');
      for (String form : caseForms(query.text())) {
        String text = PartnerMapping.literal(form);
        filter.append("substringof(").append(text).append(",OrganizationBPName1) or substringof(").append(text)
            .append(",OrganizationBPName2) or ");
      }
      filter.append("substringof(")
          .append(PartnerMapping.literal(mapping.externalIdValue(query.text()))).append(',')
          .append(mapping.externalIdProperty()).append(")) and ");
    }
    filter.append("Customer gt ").append(PartnerMapping.literal(query.cursor() == null ? "" : sapCursor(query.cursor())));
    HttpUrl url = client.url(PARTNERS)
        .addQueryParameter("$filter", filter.toString())
        .addQueryParameter("$orderby", "Customer")
        .addQueryParameter("$top", Integer.toString(query.top() + 1))
        .addQueryParameter("$expand", PartnerMapping.EXPAND)
        .build();
    JsonNode d = json(get(url, action), action).path("d");
    List<JsonNode> rows = PartnerMapping.rows(d.isArray() ? d : d.path("results"));
    boolean cutShort = PartnerMapping.text(d, "__next") != null;
    List<Customer> customers = new ArrayList<>();
    boolean more = cutShort;
    for (JsonNode row : rows) {
      if (PartnerMapping.text(row, "Customer") == null) {
        continue;
      }
      if (customers.size() == query.top()) {
        more = true;
        break;
      }
      customers.add(mapping.toCustomer(row, null, null));
    }
    String next = more && !customers.isEmpty() ? CustomerSearch.cursorAfter(customers.get(customers.size() - 1)) : null;
    return new CustomerPage(customers, next);
  }

  /** The text as typed, in upper and lower case, capitalised, and with each word capitalised; no repeats. */
  static java.util.Set<String> caseForms(String text) {
    java.util.Locale root = java.util.Locale.ROOT;
    String lower = text.toLowerCase(root);
    StringBuilder words = new StringBuilder(lower.length());
    boolean start = true;
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      words.append(start ? Character.toUpperCase(c) : c);
      start = !Character.isLetterOrDigit(c);
    }
    String capitalised = lower.isEmpty() ? lower : Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    return new java.util.LinkedHashSet<>(List.of(text, text.toUpperCase(root), lower, capitalised, words.toString()));
  }

  /**
   * network (TCP connect) → logon (the service root with a CSRF token fetch) → CSRF (a token came back) →
   * service ({@code $metadata} names A_BusinessPartner) → authorization (a read of A_BusinessPartner).
   * Stops at the first failure: the later steps need the earlier ones.
   */
  @Override
  public SapDiagnosis diagnose() {
    return diagnose(SapBackend.CUSTOMER_ACTIONS);
  }

  /** As {@link #diagnose()}; with sales-order actions, {@code API_SALES_ORDER_SRV} is checked last ({@link ODataSalesOrders#diagnose}). */
  @Override
  public SapDiagnosis diagnose(java.util.Set<io.ferry.protocol.Action> actions) {
    SapDiagnosis partners = new ODataDiagnosis(client, settings).run(name());
    if (!partners.ok() || actions.stream().noneMatch(a -> a.carriesPayload() && !a.isGeneric())) {
      return partners;
    }
    List<Check> checks = new ArrayList<>(partners.checks());
    checks.add(salesOrders.diagnose());
    return new SapDiagnosis(name(), partners.target(), checks);
  }

  @Override
  public void close() {
    client.close();
    salesOrders.close();
  }

  @Override
  public String toString() {
    return "ODataBackend[" + settings.serviceUrl() + (settings.client() == null ? "" : ", client " + settings.client()) + "]";
  }

  // ---- reading ----

  /** @param sapNumber the customer number in the form SAP answers it (as SAP named it, or {@link PartnerMapping#externalNumber}) */
  private Customer read(String sapNumber, SalesArea area, String companyCode, String action) throws SapException {
    return mapping.toCustomer(partner(sapNumber, action), area, companyCode);
  }

  /**
   * The business partner of customer {@code sapNumber} (in the form SAP answers it), with everything
   * {@link PartnerMapping#EXPAND} names.
   */
  private JsonNode partner(String sapNumber, String action) throws SapException {
    HttpUrl url = client.url(PARTNERS)
        .addQueryParameter("$filter", "Customer eq " + PartnerMapping.literal(sapNumber))
        .addQueryParameter("$expand", PartnerMapping.EXPAND)
        .build();
    List<JsonNode> rows = results(get(url, action), action);
    if (rows.isEmpty()) {
      throw new SapException(Kind.NOT_FOUND, SapErrorCodes.NOT_FOUND, "SAP has no customer " + shown(sapNumber), List.of());
    }
    return rows.get(0);
  }

  /**
   * {@code GET A_BusinessPartner('<partner>')?$expand=…}: one business partner by its key, as SAP named it,
   * with everything {@link PartnerMapping#EXPAND} names.
   */
  private JsonNode partnerByKey(String partner, String action) throws SapException {
    HttpUrl url = client.url(PartnerMapping.key(PARTNERS, partner))
        .addQueryParameter("$expand", PartnerMapping.EXPAND)
        .build();
    ODataClient.Reply r = call(() -> client.get(url), action);
    if (r.status() == 404) {
      throw new SapException(Kind.NOT_FOUND, SapErrorCodes.NOT_FOUND, "SAP has no business partner " + shown(partner),
          List.of());
    }
    if (!r.ok()) {
      throw ODataErrors.failure(r, action, settings);
    }
    return json(r, action).path("d");
  }

  /** A number in messages: the ten-digit form engines see. */
  private static String shown(String sapNumber) {
    try {
      return SapConversions.toExternalCustomerNumber(sapNumber);
    } catch (IllegalArgumentException e) {
      return sapNumber;
    }
  }

  /** The search cursor (Ferry's ten-digit number of a page's last customer) in SAP's external form. */
  private static String sapCursor(String cursor) {
    try {
      return PartnerMapping.externalNumber(cursor);
    } catch (IllegalArgumentException e) {
      return cursor;
    }
  }

  private ODataClient.Reply get(HttpUrl url, String action) throws SapException {
    ODataClient.Reply r = call(() -> client.get(url), action);
    if (!r.ok()) {
      throw ODataErrors.failure(r, action, settings);
    }
    return r;
  }

  private List<JsonNode> results(ODataClient.Reply r, String action) throws SapException {
    JsonNode d = json(r, action).path("d");
    return PartnerMapping.rows(d.isArray() ? d : d.path("results"));
  }

  private JsonNode json(ODataClient.Reply r, String action) throws SapException {
    try {
      return ODataErrors.JSON.readTree(r.body());
    } catch (IOException e) {
      String type = r.header("Content-Type");
      throw ODataErrors.configuration("SAP answered " + action + " with something that is not OData JSON ("
          + (type == null ? "no content type" : type) + ") from " + settings.serviceUrl()
          + "; check sap.odata.service-url and that the logon does not redirect to a logon page", List.of());
    }
  }

  // ---- changing ----

  /** One update: the changes made so far (for a conflict's message) and SAP's messages. */
  private final class Update {
    final String number;
    final String action;
    final List<String> done = new ArrayList<>();
    final List<SapMessage> messages = new ArrayList<>();

    Update(String number) {
      this.number = number;
      this.action = "changing customer " + number;
    }

    /** MERGE/PATCH of {@code entity} with {@code If-Match} from {@code row}'s ETag. */
    void change(String entity, Map<String, String> values, JsonNode row, String what) throws SapException {
      ObjectNode body = ODataErrors.JSON.createObjectNode();
      values.forEach(body::put);
      ODataClient.Reply r = call(() -> client.modify(settings.updateMethod().name(), client.url(entity).build(),
          body.toString(), etag(row), action), action);
      finish(r, what);
    }

    /** E-mail or phone: changed when there is one, created when there is none, deleted when cleared. */
    void communication(String partner, JsonNode address, String navigation, String entitySet, String property,
        String value, String what) throws SapException {
      JsonNode existing = PartnerMapping.first(address.path(navigation));
      ODataClient.Reply r;
      if (value != null && !existing.isMissingNode()) {
        change(communicationKey(entitySet, existing), Map.of(property, value), existing, what);
        return;
      }
      if (value != null) {
        ObjectNode body = ODataErrors.JSON.createObjectNode().put(property, value);
        HttpUrl url = client.url(addressKey(partner, address), navigation).build();
        r = call(() -> client.modify("POST", url, body.toString(), null, action), action);
      } else if (!existing.isMissingNode()) {
        HttpUrl url = client.url(communicationKey(entitySet, existing)).build();
        r = call(() -> client.modify("DELETE", url, null, etag(existing), action), action);
      } else {
        return;
      }
      finish(r, what);
    }

    private void finish(ODataClient.Reply r, String what) throws SapException {
      if (r.status() == 412) {
        throw conflict(r, what);
      }
      if (!r.ok()) {
        throw ODataErrors.failure(r, action + " (" + what + ")", settings);
      }
      done.add(what);
      messages.addAll(ODataErrors.fromSapMessageHeader(r.header("sap-message")));
    }

    /** Someone changed the entity after Ferry read it: read again (is it still there?) and report the conflict. */
    private SapException conflict(ODataClient.Reply r, String what) throws SapException {
      partner(PartnerMapping.externalNumber(number), action + " (reading it again after a conflict)");
      return new SapException(Kind.BUSINESS, SapErrorCodes.CONFLICT, "customer " + number + " was changed concurrently "
          + "in SAP: " + what + " changed between Ferry's read and its change, so SAP refused it (HTTP 412, If-Match)"
          + (done.isEmpty() ? "; nothing was changed" : "; already changed: " + String.join(", ", done))
          + ". Read the customer again and repeat the change", ODataErrors.fromErrorBody(r.body()));
    }
  }

  private static String addressKey(String partner, JsonNode address) {
    return PartnerMapping.key("A_BusinessPartnerAddress", "BusinessPartner", partner,
        "AddressID", address.path("AddressID").asText());
  }

  private static String communicationKey(String entitySet, JsonNode row) {
    return PartnerMapping.key(entitySet, "AddressID", row.path("AddressID").asText(),
        "Person", row.path("Person").asText(""), "OrdinalNumber", row.path("OrdinalNumber").asText());
  }

  /** The ETag SAP gave the row in {@code __metadata}; null when the entity is not under concurrency control. */
  private static String etag(JsonNode row) {
    return PartnerMapping.text(row.path("__metadata"), "etag");
  }

  private static String convertCurrency(String iso) throws SapException {
    try {
      return SapConversions.toSapCurrency(iso);
    } catch (IllegalArgumentException e) {
      throw ODataErrors.business("currency: " + e.getMessage(), List.of());
    }
  }

  // ---- plumbing ----

  @FunctionalInterface
  private interface Call {
    ODataClient.Reply run() throws IOException, SapException;
  }

  private ODataClient.Reply call(Call c, String action) throws SapException {
    try {
      return c.run();
    } catch (IOException e) {
      throw ODataErrors.io(e, action, settings);
    }
  }

  private static String internal(String customerNumber) throws SapException {
    try {
      return SapConversions.toInternalCustomerNumber(customerNumber);
    } catch (IllegalArgumentException e) {
      throw new SapException(Kind.NOT_FOUND, SapErrorCodes.NOT_FOUND, "SAP has no customer " + customerNumber, List.of());
    }
  }
}
