package io.ferry.agent.sap.bapi;

import io.ferry.agent.sap.SapConversions;
import io.ferry.protocol.SalesArea;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings of the BAPI backend, validated when built.
 *
 * @param destination the JCo destination name ({@code sap.destination})
 * @param referenceCustomers the default reference customer per sales area
 *     ({@code sap.reference-customer.1000/10/00 = 1000}); keys are written
 *     {@code salesOrg/channel/division}, values are ALPHA-converted to ten characters
 * @param correlationField the BAPIKNA106 field a create marks with its {@link io.ferry.agent.sap.Correlation}
 *     ({@code NAME_3}, found again through KNA1-NAME3), or null for no mark
 */
public record BapiSettings(String destination, Map<String, String> referenceCustomers, String correlationField) {

  /** The settings with the default correlation field, {@code NAME_3}. */
  public BapiSettings(String destination, Map<String, String> referenceCustomers) {
    this(destination, referenceCustomers, "NAME_3");
  }

  private static final Pattern SALES_AREA = Pattern.compile("[A-Za-z0-9]{1,4}/[A-Za-z0-9]{1,2}/[A-Za-z0-9]{1,2}");

  public BapiSettings {
    if (destination == null || destination.isBlank()) {
      throw new IllegalArgumentException("sap.destination must name a JCo destination, was '"
          + destination + "'; set it to the destination configured for the SAP system, for example FERRY");
    }
    Map<String, String> refs = new LinkedHashMap<>();
    (referenceCustomers == null ? Map.<String, String>of() : referenceCustomers).forEach((area, customer) -> {
      if (area == null || !SALES_AREA.matcher(area).matches()) {
        throw new IllegalArgumentException("sap.reference-customer." + area + ": the sales area must be written "
            + "salesOrg/channel/division such as 1000/10/00");
      }
      try {
        refs.put(area, SapConversions.toInternalCustomerNumber(customer));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("sap.reference-customer." + area + " must be a customer number of up "
            + "to ten letters or digits, was '" + customer + "'", e);
      }
    });
    referenceCustomers = Map.copyOf(refs);
    if (correlationField != null && !correlationField.equals("NAME_3")) {
      throw new IllegalArgumentException("sap.correlation-field for the bapi backend must be NAME_3 or none, was '"
          + correlationField + "'");
    }
  }

  /** The default reference customer for the sales area, ten characters, if one is configured. */
  public Optional<String> referenceCustomer(SalesArea area) {
    return Optional.ofNullable(referenceCustomers.get(area.toString()));
  }
}
