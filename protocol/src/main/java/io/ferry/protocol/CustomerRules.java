package io.ferry.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Problem.FieldError;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The field rules of the customer model, checked on the engine's JSON before anything reaches SAP.
 * Lengths follow SAP's: KNA1 and the BAPI structures, which are the tighter of the two backends
 * (for example NAME1 and ORT01 are 35 characters where OData would take 40). Every string is text as
 * {@link TextRules} describes it: controls and unpaired surrogates are refused, "blank" means nothing
 * visible, and lengths are those of the NFC form, which is what reaches SAP ({@link Customer} keeps its
 * fields in NFC).
 */
public final class CustomerRules {

  private enum Kind { TEXT, CODE, COUNTRY, LANGUAGE, CURRENCY, EMAIL }

  private record Rule(int maxLength, Kind kind, boolean requiredOnCreate, boolean changeable) {}

  private static final Map<String, Rule> FIELDS = Map.ofEntries(
      Map.entry("externalId", new Rule(20, Kind.TEXT, false, true)),
      Map.entry("name", new Rule(35, Kind.TEXT, true, true)),
      Map.entry("name2", new Rule(35, Kind.TEXT, false, true)),
      Map.entry("street", new Rule(60, Kind.TEXT, true, true)),
      Map.entry("houseNumber", new Rule(10, Kind.TEXT, false, true)),
      Map.entry("postalCode", new Rule(10, Kind.TEXT, true, true)),
      Map.entry("city", new Rule(35, Kind.TEXT, true, true)),
      Map.entry("region", new Rule(3, Kind.CODE, false, true)),
      Map.entry("country", new Rule(2, Kind.COUNTRY, true, true)),
      Map.entry("language", new Rule(2, Kind.LANGUAGE, true, true)),
      Map.entry("currency", new Rule(3, Kind.CURRENCY, true, true)),
      Map.entry("email", new Rule(241, Kind.EMAIL, false, true)),
      Map.entry("phone", new Rule(30, Kind.TEXT, false, true)),
      Map.entry("companyCode", new Rule(4, Kind.CODE, false, false)),
      Map.entry("referenceCustomer", new Rule(10, Kind.CODE, false, false)));

  private static final Map<String, Rule> SALES_AREA_FIELDS = Map.of(
      "salesOrganization", new Rule(4, Kind.CODE, true, false),
      "distributionChannel", new Rule(2, Kind.CODE, true, false),
      "division", new Rule(2, Kind.CODE, true, false));

  /** Fields a merge patch may not clear, because SAP requires them on every customer. */
  private static final Set<String> NOT_CLEARABLE =
      Set.of("name", "street", "postalCode", "city", "country", "language", "currency");

  /**
   * Country keys a customer may have: ISO 3166-1 alpha-2 as the Java runtime lists it
   * ({@link Locale#getISOCountries()}), plus the user-assigned codes SAP systems carry in their country table
   * (T005) for places ISO has not coded. {@code XK}, Kosovo: the code the EU, SWIFT and Kosovo's IBANs use,
   * and the one SAP's foreign-trade note 851943 has systems add. Not {@code XI} (Northern Ireland): SAP says a
   * customer there has country GB and a region (KBA 3523199), XI being only a VAT number prefix.
   */
  private static final Set<String> USER_ASSIGNED_COUNTRIES = Set.of("XK");
  private static final Set<String> COUNTRIES = java.util.stream.Stream.concat(
      java.util.Arrays.stream(Locale.getISOCountries()), USER_ASSIGNED_COUNTRIES.stream())
      .collect(Collectors.toUnmodifiableSet());
  private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());
  private static final Set<String> CURRENCIES =
      Currency.getAvailableCurrencies().stream().map(Currency::getCurrencyCode).collect(Collectors.toSet());
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  /** Customer numbers as engines type them: up to ten letters or digits, leading zeros optional. */
  private static final Pattern CUSTOMER_NUMBER = Pattern.compile("[A-Za-z0-9]{1,10}");

  private CustomerRules() {}

  /** Problems with a body for {@code POST /v1/customers}; empty when it is valid. */
  public static List<FieldError> checkCreate(JsonNode body) {
    List<FieldError> errors = new ArrayList<>();
    if (body == null || !body.isObject()) {
      errors.add(new FieldError("", "the body must be a JSON object with the customer's fields"));
      return errors;
    }
    checkObject(body, "", FIELDS, false, errors);
    JsonNode salesArea = body.get("salesArea");
    if (salesArea == null || salesArea.isNull()) {
      errors.add(new FieldError("salesArea", "is required: the sales area (salesOrganization, distributionChannel, division) the customer is created in"));
    } else if (!salesArea.isObject()) {
      errors.add(new FieldError("salesArea", "must be an object with salesOrganization, distributionChannel and division"));
    } else {
      checkObject(salesArea, "salesArea.", SALES_AREA_FIELDS, false, errors);
    }
    return errors;
  }

  /**
   * Problems with a JSON merge patch for {@code PATCH /v1/customers/{n}}. A null clears an optional
   * field; {@code salesArea} names the sales area whose data (currency) changes.
   */
  public static List<FieldError> checkPatch(JsonNode patch) {
    List<FieldError> errors = new ArrayList<>();
    if (patch == null || !patch.isObject()) {
      errors.add(new FieldError("", "the body must be a JSON merge patch: an object with the fields to change"));
      return errors;
    }
    if (patch.isEmpty()) {
      errors.add(new FieldError("", "names no field to change"));
    }
    checkObject(patch, "", FIELDS, true, errors);
    JsonNode salesArea = patch.get("salesArea");
    if (salesArea != null) {
      if (!salesArea.isObject()) {
        errors.add(new FieldError("salesArea", "must be an object with salesOrganization, distributionChannel and division"));
      } else {
        checkObject(salesArea, "salesArea.", SALES_AREA_FIELDS, false, errors);
      }
    }
    return errors;
  }

  /**
   * Problems with an external id given on its own, as in {@code PUT /v1/customers/by-external-id/{externalId}}:
   * the same rule as the body's {@code externalId} (not blank, at most 20 characters).
   */
  public static List<FieldError> checkExternalId(String externalId) {
    List<FieldError> errors = new ArrayList<>();
    if (externalId == null) {
      errors.add(new FieldError("externalId", "is required"));
    } else {
      checkValue("externalId", externalId, FIELDS.get("externalId"), errors);
    }
    return errors;
  }

  /**
   * Every field an engine may send, as the paths {@link #checkCreate} reports them: the top-level
   * fields and {@code salesArea.salesOrganization}, {@code salesArea.distributionChannel},
   * {@code salesArea.division}. Without {@code customerNumber} and {@code sapMessages}, which SAP assigns.
   */
  public static Set<String> fieldPaths() {
    Set<String> paths = new java.util.TreeSet<>(FIELDS.keySet());
    SALES_AREA_FIELDS.keySet().forEach(f -> paths.add("salesArea." + f));
    return java.util.Collections.unmodifiableSet(paths);
  }

  /**
   * Problems with a customer as an agent reports it (what SAP answered): the customer number must be one, and
   * each field of the model it has must be a string within SAP's length for it. Nothing is required and codes
   * are not checked against their lists: a customer in SAP need not have what a create asks for. A result that
   * fails this did not come from SAP's fields as the model knows them, and is not passed on to engines.
   */
  public static List<FieldError> checkResult(JsonNode customer) {
    List<FieldError> errors = new ArrayList<>();
    if (customer == null || !customer.isObject()) {
      errors.add(new FieldError("", "must be a JSON object with the customer's fields"));
      return errors;
    }
    JsonNode number = customer.get("customerNumber");
    if (number != null && !number.isNull() && !(number.isTextual() && isCustomerNumber(number.asText()))) {
      errors.add(new FieldError("customerNumber", "must be up to ten letters or digits"));
    }
    checkResultFields(customer, "", FIELDS, errors);
    JsonNode salesArea = customer.get("salesArea");
    if (salesArea != null && salesArea.isObject()) {
      checkResultFields(salesArea, "salesArea.", SALES_AREA_FIELDS, errors);
    }
    errors.sort((a, b) -> a.field().compareTo(b.field()));
    return errors;
  }

  private static void checkResultFields(JsonNode node, String prefix, Map<String, Rule> rules,
      List<FieldError> errors) {
    rules.forEach((name, rule) -> {
      JsonNode value = node.get(name);
      if (value == null || value.isNull()) {
        return;
      }
      if (!value.isTextual()) {
        errors.add(new FieldError(prefix + name, "must be a string"));
        return;
      }
      String text = value.asText();
      int length = text.codePointCount(0, text.length());
      if (length > rule.maxLength()) {
        errors.add(new FieldError(prefix + name, "must be at most " + rule.maxLength()
            + " characters (SAP's field length), was " + length));
      }
    });
  }

  /** Whether {@code number} can be a customer number (the ALPHA conversion adds leading zeros later). */
  public static boolean isCustomerNumber(String number) {
    return number != null && CUSTOMER_NUMBER.matcher(number).matches();
  }

  private static void checkObject(JsonNode node, String prefix, Map<String, Rule> rules, boolean patch,
      List<FieldError> errors) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      String path = prefix + name;
      JsonNode value = e.getValue();
      if (prefix.isEmpty() && name.equals("salesArea")) {
        continue;
      }
      if (prefix.isEmpty() && (name.equals("customerNumber") || name.equals("sapMessages"))) {
        errors.add(new FieldError(path, "is assigned by SAP and cannot be sent"));
        continue;
      }
      Rule rule = rules.get(name);
      if (rule == null) {
        errors.add(new FieldError(path, "is not a field of the customer model"));
        continue;
      }
      if (patch && prefix.isEmpty() && !rule.changeable()) {
        errors.add(new FieldError(path, "cannot be changed after the customer is created"));
        continue;
      }
      if (value.isNull()) {
        if (!patch || !prefix.isEmpty()) {
          errors.add(new FieldError(path, "must not be null; leave the field out instead"));
        } else if (NOT_CLEARABLE.contains(name)) {
          errors.add(new FieldError(path, "cannot be cleared: SAP requires it on every customer"));
        }
        continue;
      }
      if (!value.isTextual()) {
        errors.add(new FieldError(path, "must be a string"));
        continue;
      }
      checkValue(path, value.asText(), rule, errors);
    }
    if (!patch) {
      rules.forEach((name, rule) -> {
        JsonNode v = node.get(name);
        if (rule.requiredOnCreate() && (v == null || v.isNull())) {
          errors.add(new FieldError(prefix + name, "is required"));
        }
      });
    }
    errors.sort((a, b) -> a.field().compareTo(b.field()));
  }

  private static void checkValue(String path, String sent, Rule rule, List<FieldError> errors) {
    if (rule.kind() == Kind.TEXT || rule.kind() == Kind.CODE) {
      TextRules.fieldProblem(sent, rule.maxLength(), rule.kind() == Kind.CODE)
          .ifPresent(m -> errors.add(new FieldError(path, m)));
      return;
    }
    Optional<String> unfit = TextRules.unfitOrBlank(sent);
    if (unfit.isPresent()) {
      errors.add(new FieldError(path, unfit.get()));
      return;
    }
    String value = TextRules.nfc(sent);
    switch (rule.kind()) {
      case COUNTRY -> {
        if (!COUNTRIES.contains(value)) {
          errors.add(new FieldError(path, "must be a country key SAP knows: an ISO 3166-1 alpha-2 code such as DE or US "
              + "(the Java runtime's list) or XK (Kosovo, user-assigned, carried by SAP systems), was '" + value + "'"));
        }
        return;
      }
      case LANGUAGE -> {
        if (!LANGUAGES.contains(value)) {
          errors.add(new FieldError(path, "must be an ISO 639-1 language code such as en or de, was '" + value + "'"));
        }
        return;
      }
      case CURRENCY -> {
        if (!CURRENCIES.contains(value)) {
          errors.add(new FieldError(path, "must be an ISO 4217 currency code such as EUR or USD, was '" + value + "'"));
        }
        return;
      }
      case EMAIL -> {
        if (!EMAIL.matcher(value).matches()) {
          errors.add(new FieldError(path, "must be an e-mail address such as name@example.com"));
          return;
        }
      }
      case TEXT, CODE -> { } // checked above
    }
    TextRules.tooLong(value, rule.maxLength()).ifPresent(m -> errors.add(new FieldError(path, m)));
  }
}
