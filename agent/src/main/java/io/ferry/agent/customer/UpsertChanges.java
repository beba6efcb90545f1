package io.ferry.agent.customer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.Protocol;
import java.util.List;

/**
 * The change an upsert makes to a customer SAP already has: every field the caller sent, as a merge
 * patch. Fields that only steer a create (reference customer, company code) are left out; the sales
 * area stays, as it names whose data (the currency) changes.
 */
final class UpsertChanges {

  private static final ObjectMapper JSON = Protocol.json();
  private static final List<String> CREATE_ONLY = List.of("customerNumber", "referenceCustomer", "companyCode", "sapMessages");

  private UpsertChanges() {}

  static CustomerPatch of(Customer wanted) {
    ObjectNode patch = JSON.valueToTree(wanted);
    patch.remove(CREATE_ONLY);
    return CustomerPatch.fromMergePatch(patch);
  }
}
