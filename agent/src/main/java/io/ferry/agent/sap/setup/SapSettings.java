package io.ferry.agent.sap.setup;

import io.ferry.agent.sap.odata.ODataServices;
import io.ferry.agent.sap.odata.ODataSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How the agent reaches SAP. In the configuration file these are the {@code sap.*} keys:
 *
 * <pre>
 * sap.backend=bapi
 * sap.destination=ERP
 * sap.jco.jco.client.ashost=erp.example.local
 * sap.jco.jco.client.sysnr=00
 * sap.jco.jco.client.client=100
 * sap.jco.jco.client.user=FERRY_RFC
 * sap.jco.jco.client.passwd=...            (or the environment variable FERRY_SAP_PASSWORD)
 * sap.reference-customer.1000/10/00=1000
 * sap.correlation-field=NAME_3             (the default; none turns it off)
 * </pre>
 *
 * or, for S/4HANA over OData, {@code sap.backend=odata} with the {@code sap.odata.*} keys of
 * {@link ODataSettings}. Each backend's settings are checked only when that backend is chosen; an
 * unknown backend is reported, and the JCo settings are checked as for the default backend.
 *
 * @param jco JCo destination properties ({@code jco.client.*}, {@code jco.destination.*}) exactly as SAP
 *     documents them (backend {@code bapi})
 * @param referenceCustomers default reference customer per sales area ({@code 1000/10/00}), used when a
 *     create names none (backend {@code bapi})
 * @param odata the OData backend's settings (backend {@code odata}); null for {@code bapi}
 * @param correlationField where a create leaves the mark ({@link Correlation}) that finds the customer again
 *     when SAP's answer is lost ({@code sap.correlation-field}): {@code NAME_3} (KNA1-NAME3, the default) for
 *     {@code bapi}; {@code SearchTerm2} (the default, or {@code SearchTerm1} when SearchTerm2 holds the external
 *     id), {@code SearchTerm1} or {@code BusinessPartnerIDByExtSystem} for {@code odata}; {@code none} for no mark.
 *     Null means the backend's default.
 * @param odataServices the OData services engines may reach generically ({@code sap.odata.services.<name>.url}), on
 *     either backend; {@link ODataServices#NONE} for none
 */
public record SapSettings(String backend, String destination, Map<String, String> jco, Map<String, String> referenceCustomers,
    ODataSettings odata, String correlationField, ODataServices odataServices) {

  public static final String PASSWORD_KEY = "jco.client.passwd";
  public static final String PASSWORD_ENV = "FERRY_SAP_PASSWORD";
  /**
   * The keys {@link #fromSection} reads (without {@code sap.}), the OData backend's included, and {@code time-zone},
   * which the change watcher reads (io.ferry.agent.changes.ChangeSettings: SAP's dates carry no zone).
   */
  public static final List<String> KEYS = java.util.stream.Stream.concat(
      java.util.stream.Stream.of("backend", "destination", "correlation-field", "time-zone"),
      ODataSettings.KEYS.stream()).toList();
  /**
   * Families of keys whose last part is free (without {@code sap.}): JCo's destination properties as SAP names
   * them ({@code jco.client.ashost} under {@code sap.jco.}), the SAP simulator's own ({@code jco.mock.data_file},
   * used only when jco-mock stands in for SAP's JCo), a reference customer per sales area, and the OData services
   * ({@code odata.services.<name>.url}, whose other spellings {@link ODataServices#fromSection} refuses).
   */
  public static final List<String> FAMILIES = List.of("jco.jco.client.", "jco.jco.destination.", "jco.jco.mock.",
      "reference-customer.", ODataServices.PREFIX);
  private static final List<String> BACKENDS = List.of("bapi", "odata");
  private static final Pattern SALES_AREA = Pattern.compile("[A-Za-z0-9]{1,4}/[A-Za-z0-9]{1,2}/[A-Za-z0-9]{1,2}");
  /** {@code sap.correlation-field} turned off. */
  public static final String NO_CORRELATION = "none";
  private static final List<String> BAPI_CORRELATION_FIELDS = List.of("NAME_3");
  private static final List<String> ODATA_CORRELATION_FIELDS = List.of("SearchTerm2", "SearchTerm1",
      "BusinessPartnerIDByExtSystem");

  /** Settings of the BAPI backend (or of an unknown backend, which fails validation). */
  public SapSettings(String backend, String destination, Map<String, String> jco, Map<String, String> referenceCustomers) {
    this(backend, destination, jco, referenceCustomers, null, null);
  }

  public SapSettings(String backend, String destination, Map<String, String> jco, Map<String, String> referenceCustomers,
      ODataSettings odata) {
    this(backend, destination, jco, referenceCustomers, odata, null);
  }

  public SapSettings(String backend, String destination, Map<String, String> jco, Map<String, String> referenceCustomers,
      ODataSettings odata, String correlationField) {
    this(backend, destination, jco, referenceCustomers, odata, correlationField, ODataServices.NONE);
  }

  /** The same settings with these OData services for generic requests. */
  public SapSettings withODataServices(ODataServices services) {
    return new SapSettings(backend, destination, jco, referenceCustomers, odata, correlationField, services);
  }

  /** Settings of the OData backend. */
  public static SapSettings odata(ODataSettings odata) {
    return new SapSettings("odata", "SAP", Map.of(), Map.of(), odata);
  }

  /** The same settings with {@code sap.correlation-field} set (null: the backend's default). */
  public SapSettings withCorrelationField(String field) {
    return new SapSettings(backend, destination, jco, referenceCustomers, odata, field, odataServices);
  }

  /** Whether creates leave a correlation mark. */
  public boolean correlates() {
    return !NO_CORRELATION.equals(correlationField);
  }

  public SapSettings {
    jco = Map.copyOf(jco);
    referenceCustomers = Map.copyOf(referenceCustomers);
    odataServices = odataServices == null ? ODataServices.NONE : odataServices;
    List<String> problems = new ArrayList<>();
    if (!BACKENDS.contains(backend)) {
      problems.add("sap.backend must be one of " + BACKENDS + ", was '" + backend + "'");
    }
    if ("odata".equals(backend)) {
      if (odata == null) {
        problems.add("sap.backend=odata needs the sap.odata.* settings, at least sap.odata.service-url");
      }
    } else {
      checkJco(destination, jco, problems);
    }
    referenceCustomers.forEach((area, customer) -> {
      if (!SALES_AREA.matcher(area).matches()) {
        problems.add("sap.reference-customer." + area + ": the sales area must look like 1000/10/00");
      }
      if (customer == null || !customer.matches("[A-Za-z0-9]{1,10}")) {
        problems.add("sap.reference-customer." + area + " must be a customer number, was '" + customer + "'");
      }
    });
    correlationField = correlationField(backend, odata, correlationField, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** The field named, or the backend's default; a field the backend cannot search is refused. */
  private static String correlationField(String backend, ODataSettings odata, String named, List<String> problems) {
    boolean isOData = "odata".equals(backend);
    String externalId = isOData && odata != null ? odata.externalIdProperty() : null;
    if (named == null || named.isBlank()) {
      if (!isOData) {
        return BAPI_CORRELATION_FIELDS.get(0);
      }
      return "SearchTerm2".equals(externalId) ? "SearchTerm1" : "SearchTerm2";
    }
    String field = named.strip();
    if (field.equalsIgnoreCase(NO_CORRELATION)) {
      return NO_CORRELATION;
    }
    List<String> allowed = isOData ? ODATA_CORRELATION_FIELDS : BAPI_CORRELATION_FIELDS;
    if (!allowed.contains(field)) {
      problems.add("sap.correlation-field for the " + (isOData ? "odata" : "bapi") + " backend must be one of " + allowed
          + " or none, was '" + field + "'");
    } else if (field.equals(externalId)) {
      problems.add("sap.correlation-field must not be the property that holds the external id (sap.odata.external-id-property="
          + externalId + "); choose another of " + allowed + " or none");
    }
    return field;
  }

  private static void checkJco(String destination, Map<String, String> jco, List<String> problems) {
    if (destination == null || destination.isBlank()) {
      problems.add("sap.destination must name the JCo destination, for example ERP");
    }
    if (!jco.containsKey("jco.client.ashost") && !jco.containsKey("jco.client.mshost")) {
      problems.add("sap.jco.jco.client.ashost (application server) or sap.jco.jco.client.mshost (message server) is required");
    }
    for (String required : List.of("jco.client.client", "jco.client.user")) {
      if (!jco.containsKey(required)) {
        problems.add("sap.jco." + required + " is required");
      }
    }
    if (!jco.containsKey(PASSWORD_KEY) && !jco.containsKey("jco.client.snc_mode")) {
      problems.add("the SAP password is missing: set the environment variable " + PASSWORD_ENV
          + " (preferred) or sap.jco." + PASSWORD_KEY + ", or configure SNC");
    }
  }

  /**
   * Reads the {@code sap.*} section of the configuration (keys without the {@code sap.} prefix); the
   * password may come from the environment instead of the file.
   */
  public static SapSettings fromSection(Map<String, String> section, Function<String, String> env) {
    String backend = section.getOrDefault("backend", "bapi");
    String correlation = section.get("correlation-field");
    if ("odata".equals(backend)) {
      ODataSettings odata = ODataSettings.fromSection(section, env);
      return odata(odata).withCorrelationField(correlation)
          .withODataServices(ODataServices.fromSection(section, env, odata));
    }
    Map<String, String> jco = new TreeMap<>();
    Map<String, String> refs = new TreeMap<>();
    section.forEach((k, v) -> {
      if (k.startsWith("jco.")) {
        jco.put(k.substring("jco.".length()), v);
      } else if (k.startsWith("reference-customer.")) {
        refs.put(k.substring("reference-customer.".length()), v);
      }
    });
    String password = env.apply(PASSWORD_ENV);
    if (password != null && !password.isEmpty()) {
      jco.put(PASSWORD_KEY, password);
    }
    List<String> problems = new ArrayList<>();
    ODataServices services = ODataServices.NONE;
    try {
      services = ODataServices.fromSection(section, env, null);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    try {
      SapSettings settings = new SapSettings(backend, section.getOrDefault("destination", "SAP"), jco, refs, null,
          correlation, services);
      if (problems.isEmpty()) {
        return settings;
      }
    } catch (IllegalArgumentException e) {
      problems.add(0, e.getMessage());
    }
    throw new IllegalArgumentException(String.join("; ", problems));
  }

  /** Safe to log: the password and other secrets are masked. */
  @Override
  public String toString() {
    if (odata != null) {
      return "SapSettings[backend=" + backend + ", odata=" + odata + ", correlationField=" + correlationField
          + ", odataServices=" + odataServices.names() + "]";
    }
    Map<String, String> shown = new TreeMap<>(jco);
    shown.replaceAll((k, v) -> isSecret(k) ? "****" : v);
    return "SapSettings[backend=" + backend + ", destination=" + destination + ", jco=" + shown
        + ", referenceCustomers=" + new TreeMap<>(referenceCustomers) + ", correlationField=" + correlationField
        + ", odataServices=" + odataServices.names() + "]";
  }

  static boolean isSecret(String key) {
    return key.endsWith("passwd") || key.endsWith("password") || key.contains("x509cert") || key.endsWith("mysapsso2");
  }
}
