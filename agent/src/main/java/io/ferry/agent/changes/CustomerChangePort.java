package io.ferry.agent.changes;

import io.ferry.agent.sap.SapException;
import java.time.LocalDateTime;
import java.util.List;

/**
 * Customers created or changed in SAP since a point in time, as one backend finds them without anything installed in
 * SAP: change documents read with {@code RFC_READ_TABLE} (BAPI), or the partners' change dates (OData). Offered by
 * {@link io.ferry.agent.sap.SapBackend#port}.
 */
public interface CustomerChangePort {

  /**
   * Every change recorded at or after {@code from} (SAP's local time), in any order, all pages read. A change may be
   * reported more than once (a creation found both as a change document and by its creation date): the watcher's
   * event ids make repeats one.
   */
  List<FoundChange> since(LocalDateTime from) throws SapException;
}
