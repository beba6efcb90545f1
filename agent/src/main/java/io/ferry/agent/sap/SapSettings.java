package io.ferry.agent.sap;

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
 */
public record SapSettings(String backend, String destination, Map<String, String> jco, Map<String, String> referenceCustomers,
    ODataSettings odata) {

  public static final String PASSWORD_KEY = "jco.client.passwd";
  public static final String PASSWORD_ENV = "FERRY_SAP_PASSWORD";
  private static final List<String> BACKENDS = List.of("bapi", "odata");
  private static final Pattern SALES_AREA = Pattern.compile("[A-Za-z0-9]{1,4}/[A-Za-z0-9]{1,2}/[A-Za-z0-9]{1,2}");

  /** Settings of the BAPI backend (or of an unknown backend, which fails validation). */
  public SapSettings(String backend, String destination, Map<String, String> jco, Map<String, String> referenceCustomers) {
    this(backend, destination, jco, referenceCustomers, null);
  }

  /** Settings of the OData backend. */
  public static SapSettings odata(ODataSettings odata) {
    return new SapSettings("odata", "SAP", Map.of(), Map.of(), odata);
  }

  public SapSettings {
    jco = Map.copyOf(jco);
    referenceCustomers = Map.copyOf(referenceCustomers);
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
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
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
    if ("odata".equals(backend)) {
      return odata(ODataSettings.fromSection(section, env));
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
    return new SapSettings(backend, section.getOrDefault("destination", "SAP"), jco, refs);
  }

  /** Safe to log: the password and other secrets are masked. */
  @Override
  public String toString() {
    if (odata != null) {
      return "SapSettings[backend=" + backend + ", odata=" + odata + "]";
    }
    Map<String, String> shown = new TreeMap<>(jco);
    shown.replaceAll((k, v) -> isSecret(k) ? "****" : v);
    return "SapSettings[backend=" + backend + ", destination=" + destination + ", jco=" + shown
        + ", referenceCustomers=" + new TreeMap<>(referenceCustomers) + "]";
  }

  static boolean isSecret(String key) {
    return key.endsWith("passwd") || key.endsWith("password") || key.contains("x509cert") || key.endsWith("mysapsso2");
  }
}
