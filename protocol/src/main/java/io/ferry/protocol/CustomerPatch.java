package io.ferry.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A validated JSON merge patch (RFC 7396) of {@link Customer}, in the form a SAP backend needs: the
 * new values, and the set of fields the patch names. A named field whose value is absent from
 * {@code values} is to be cleared. This is exactly what BAPI {@code …X} flag structures and an OData
 * MERGE express.
 */
public record CustomerPatch(Customer values, Set<String> fields) {

  private static final ObjectMapper JSON = Protocol.json();

  public CustomerPatch {
    fields = Set.copyOf(fields);
  }

  /** Reads a merge patch that {@link CustomerRules#checkPatch} accepted. */
  public static CustomerPatch fromMergePatch(ObjectNode patch) {
    Set<String> fields = new LinkedHashSet<>();
    for (Iterator<String> it = patch.fieldNames(); it.hasNext(); ) {
      fields.add(it.next());
    }
    ObjectNode withoutNulls = patch.deepCopy();
    withoutNulls.properties().removeIf(e -> e.getValue().isNull());
    return new CustomerPatch(JSON.convertValue(withoutNulls, Customer.class), fields);
  }

  public boolean names(String field) {
    return fields.contains(field);
  }

  /** Applies the patch to {@code current}, as SAP would: named fields take the new value or are cleared. */
  public Customer applyTo(Customer current) {
    ObjectNode merged = JSON.valueToTree(current);
    ObjectNode newValues = JSON.valueToTree(values);
    for (String f : fields) {
      JsonNode v = newValues.get(f);
      if (v == null) {
        merged.remove(f);
      } else {
        merged.set(f, v);
      }
    }
    return JSON.convertValue(merged, Customer.class);
  }
}
