package io.ferry.agent.sap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * @param jco JCo destination properties ({@code jco.client.*}, {@code jco.destination.*}) exactly as SAP
 *     documents them
 * @param referenceCustomers default reference customer per sales area ({@code 1000/10/00}), used when a
 *     create names none
 */
public record SapSettings(String backend, String destination, Map<String, String> jco, Map<String, String> referenceCustomers) {

  public static final String PASSWORD_KEY = "jco.client.passwd";
  public static final String PASSWORD_ENV = "FERRY_SAP_PASSWORD";
  private static final Set<String> BACKENDS = Set.of("bapi");
  private static final Pattern SALES_AREA = Pattern.compile("[A-Za-z0-9]{1,4}/[A-Za-z0-9]{1,2}/[A-Za-z0-9]{1,2}");

  public SapSettings {
    jco = Map.copyOf(jco);
    referenceCustomers = Map.copyOf(referenceCustomers);
    List<String> problems = new ArrayList<>();
    if (!BACKENDS.contains(backend)) {
      problems.add("sap.backend must be one of " + BACKENDS + ", was '" + backend + "'");
    }
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

  /**
   * Reads the {@code sap.*} section of the configuration (keys without the {@code sap.} prefix); the
   * password may come from the environment instead of the file.
   */
  public static SapSettings fromSection(Map<String, String> section, Function<String, String> env) {
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
    return new SapSettings(section.getOrDefault("backend", "bapi"), section.getOrDefault("destination", "SAP"), jco, refs);
  }

  /** Safe to log: the password and other secrets are masked. */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>(jco);
    shown.replaceAll((k, v) -> isSecret(k) ? "****" : v);
    return "SapSettings[backend=" + backend + ", destination=" + destination + ", jco=" + shown
        + ", referenceCustomers=" + new TreeMap<>(referenceCustomers) + "]";
  }

  static boolean isSecret(String key) {
    return key.endsWith("passwd") || key.endsWith("password") || key.contains("x509cert") || key.endsWith("mysapsso2");
  }
}
