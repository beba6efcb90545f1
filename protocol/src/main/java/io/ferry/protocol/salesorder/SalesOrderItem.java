package io.ferry.protocol.salesorder;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;

/**
 * One item of a {@link SalesOrder}.
 *
 * @param item the item number SAP gave it ({@code 10}, {@code 20} …); absent in a request
 * @param plant the delivering plant (OData names it {@code ProductionPlant}, the BAPI {@code PLANT})
 * @param netAmount the item's net value as SAP priced it; absent in a request
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SalesOrderItem(
    String item,
    String material,
    BigDecimal requestedQuantity,
    String unit,
    String plant,
    BigDecimal netAmount) {

  /** This item as SAP numbered and priced it. */
  public SalesOrderItem priced(String number, BigDecimal net) {
    return new SalesOrderItem(number, material, requestedQuantity, unit, plant, net);
  }
}
