package io.ferry.protocol.salesorder;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.ferry.protocol.SalesArea;
import io.ferry.protocol.SapMessage;
import io.ferry.protocol.TextRules;
import java.math.BigDecimal;
import java.util.List;

/**
 * A sales order as both SAP backends map it: a header and its items. Engines send the header's fields and the
 * items; SAP's answer adds the order's number ({@code salesOrder}), item numbers, the net amounts it priced and
 * its messages. Absent fields are left out of JSON, never written as null (Power Automate's typed fields break
 * on nulls).
 *
 * @param purchaseOrderByCustomer the customer's reference for the order; required, because it is what a
 *     redelivered create looks the order up by before creating it again (with {@code soldToParty})
 * @param requestedDeliveryDate {@code YYYY-MM-DD}
 * @param netAmount the order's net value as SAP priced it, in {@code currency}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SalesOrder(
    String salesOrder,
    String salesOrderType,
    SalesArea salesArea,
    String soldToParty,
    String purchaseOrderByCustomer,
    String requestedDeliveryDate,
    BigDecimal netAmount,
    String currency,
    List<SalesOrderItem> items,
    List<SapMessage> sapMessages) {

  public SalesOrder {
    purchaseOrderByCustomer = TextRules.nfc(purchaseOrderByCustomer);
    items = items == null ? List.of() : List.copyOf(items);
    sapMessages = sapMessages == null ? List.of() : List.copyOf(sapMessages);
  }

  /** This order as SAP made it: its number, priced items, net amount, currency and messages. */
  public SalesOrder asCreated(String number, List<SalesOrderItem> pricedItems, BigDecimal net, String inCurrency,
      List<SapMessage> messages) {
    return new SalesOrder(number, salesOrderType, salesArea, soldToParty, purchaseOrderByCustomer,
        requestedDeliveryDate, net, inCurrency, pricedItems, messages);
  }

  public SalesOrder withSapMessages(List<SapMessage> messages) {
    return new SalesOrder(salesOrder, salesOrderType, salesArea, soldToParty, purchaseOrderByCustomer,
        requestedDeliveryDate, netAmount, currency, items, messages);
  }
}
