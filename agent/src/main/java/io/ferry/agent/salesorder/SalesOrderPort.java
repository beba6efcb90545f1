package io.ferry.agent.salesorder;

import io.ferry.agent.sap.SapException;
import io.ferry.protocol.salesorder.SalesOrder;
import java.util.Optional;

/**
 * Sales orders in SAP, as one backend (JCo/BAPI or OData) reaches them. The sales-order executor calls it through
 * the layers every SAP call passes ({@link io.ferry.agent.sap.SapCalls}); an implementation is only the mapping.
 *
 * <p>Every method returns the order as SAP holds it, in the model: its number and item numbers without leading
 * zeros (as SAP shows them), the net amounts SAP priced, and SAP's success and warning messages in
 * {@code sapMessages}.
 */
public interface SalesOrderPort {

  /**
   * Creates the order and commits. {@link SapException.Kind#UNAVAILABLE} only when SAP surely did not create it,
   * {@link SapException.Kind#OUTCOME_UNKNOWN} when it may have.
   */
  SalesOrder create(SalesOrder order) throws SapException;

  /**
   * The order SAP holds for this sold-to party with this customer reference in this sales organisation, if any: how
   * a create delivered again finds what an earlier attempt made. Two or more is a business error naming them.
   */
  Optional<SalesOrder> findByReference(String soldToParty, String salesOrganization, String purchaseOrderByCustomer)
      throws SapException;

  /** Reads the order with its items; {@link SapException.Kind#NOT_FOUND} when SAP has no such order. */
  SalesOrder read(String salesOrder) throws SapException;
}
