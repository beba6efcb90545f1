package io.ferry.sapsim;

import java.math.BigDecimal;
import java.util.List;

/**
 * A committed sales order (VBAK with its VBAP items), immutable: a change would store a new one.
 *
 * @param number the order number as SAP keeps it, ten digits with leading zeros
 * @param requestedDate {@code yyyyMMdd}, or blank
 * @param createdOn {@code yyyyMMdd}
 */
record SalesDocument(String number, String docType, SalesAreaKey area, String soldTo, String purchNo,
    String requestedDate, String currency, BigDecimal netValue, List<Line> lines, String createdBy,
    String createdOn) {

  SalesDocument {
    lines = List.copyOf(lines);
  }

  /**
   * One item.
   *
   * @param item the item number, six digits ({@code 000010})
   */
  record Line(String item, String material, BigDecimal quantity, String unit, String plant, BigDecimal netPrice,
      BigDecimal netValue, String text) {}
}
