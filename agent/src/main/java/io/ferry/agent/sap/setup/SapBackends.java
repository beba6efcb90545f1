package io.ferry.agent.sap.setup;

import io.ferry.agent.sap.CallPolicy;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.bapi.BapiBackend;
import io.ferry.agent.sap.bapi.BapiSettings;
import io.ferry.agent.sap.bapi.PropertiesDestinationProvider;
import io.ferry.agent.sap.odata.ODataBackend;
import io.ferry.agent.sap.odata.ODataResources;
import java.util.Map;
import java.util.Properties;

/** Builds the SAP backend the settings name. */
public final class SapBackends {

  private SapBackends() {}

  /** The backend without an allowlist: for checking the way to SAP, not for running jobs. */
  public static SapBackend open(SapSettings settings) {
    return open(settings, CallPolicy.PERMIT_ALL);
  }

  /** @param calls asked before every function module or OData request (the agent's on-prem allowlist) */
  public static SapBackend open(SapSettings settings, CallPolicy calls) {
    // Either backend also reaches the configured OData services generically (sap.odata.services.<name>.url).
    return ODataResources.attach(backend(settings, calls), settings.odataServices(), calls);
  }

  private static SapBackend backend(SapSettings settings, CallPolicy calls) {
    return switch (settings.backend()) {
      case "bapi" -> {
        Properties jco = new Properties();
        jco.putAll(settings.jco());
        // The destination's properties (with the password) stay inside this process: JCo asks the
        // provider for them, nothing else sees them.
        PropertiesDestinationProvider.install(Map.of(settings.destination(), jco));
        yield new BapiBackend(new BapiSettings(settings.destination(), settings.referenceCustomers(),
            settings.correlates() ? settings.correlationField() : null), calls);
      }
      case "odata" -> new ODataBackend(settings.odata(), calls, settings.correlates() ? settings.correlationField() : null);
      default -> throw new IllegalArgumentException("sap.backend '" + settings.backend() + "' is not supported");
    };
  }
}
