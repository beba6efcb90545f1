package io.ferry.bench;

import io.ferry.agent.sap.setup.SapSettings;
import io.ferry.protocol.Customer;
import io.ferry.protocol.SalesArea;
import java.util.Map;

/**
 * The one workload every mode runs: creating a customer as the README's example does, each with its own
 * external id so no two creates meet in SAP's duplicate check.
 */
final class Workload {

  /** The simulated SAP behind the JCo API, no latency configured: whatever is measured is Ferry's. */
  static final SapSettings SIMULATED_SAP = new SapSettings("bapi", "FERRY_BENCH",
      Map.of("jco.client.ashost", "sap-simulator.local", "jco.client.sysnr", "00", "jco.client.client", "100",
          "jco.client.user", "FERRY", SapSettings.PASSWORD_KEY, "bench-secret-Qw82", "jco.client.lang", "EN"),
      Map.of("1000/10/00", "1000"));

  private Workload() {}

  /**
   * Empties the in-memory simulated SAP, which every mode of a run shares: the floor alone creates
   * millions of customers a minute, and kept for the whole run they once filled a 6 GB heap.
   */
  static void forgetCustomers() {
    io.ferry.sapsim.SapSimulator.instance().reset();
  }

  /** An external id of at most 20 characters, unique within a run of the tool. */
  static String externalId(String run, long seq) {
    return run + Long.toString(seq, 36);
  }

  static Customer customer(String externalId) {
    return new Customer(null, externalId, "Muster GmbH", null, "Hauptstrasse", "1", "69190", "Walldorf", null,
        "DE", "de", "EUR", null, null, new SalesArea("1000", "10", "00"), null, null, null);
  }

  static String customerJson(String externalId) {
    return "{\"externalId\":\"" + externalId + "\",\"name\":\"Muster GmbH\",\"street\":\"Hauptstrasse\","
        + "\"houseNumber\":\"1\",\"postalCode\":\"69190\",\"city\":\"Walldorf\",\"country\":\"DE\",\"language\":\"de\","
        + "\"currency\":\"EUR\",\"salesArea\":{\"salesOrganization\":\"1000\",\"distributionChannel\":\"10\","
        + "\"division\":\"00\"}}";
  }
}
