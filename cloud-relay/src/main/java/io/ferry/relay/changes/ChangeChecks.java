package io.ferry.relay.changes;

import io.ferry.protocol.CustomerRules;
import io.ferry.protocol.Problem.FieldError;
import io.ferry.protocol.change.ChangeBatch;
import io.ferry.protocol.change.ChangeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the relay requires of each event of a {@link ChangeBatch} before it stores any: a batch with one bad
 * event is refused whole (422 naming {@code events[i].field}), so an agent's bug is seen at once rather than
 * leaving a feed with holes.
 */
public final class ChangeChecks {

  /** {@link ChangeEvent#idOf}'s form: lower-case hex, so one change never has two spellings. */
  private static final Pattern ID = Pattern.compile("chg_[0-9a-f]{32}");
  private static final Set<String> TYPES = Set.of(ChangeEvent.CUSTOMER_CREATED, ChangeEvent.CUSTOMER_CHANGED);

  private ChangeChecks() {}

  /** Problems with the batch's size or events, each naming its field; empty when it may be stored. */
  public static List<FieldError> check(ChangeBatch batch) {
    List<FieldError> errors = new ArrayList<>();
    if (batch.events().isEmpty() || batch.events().size() > ChangeBatch.MAX_EVENTS) {
      errors.add(new FieldError("events", "must hold 1 to " + ChangeBatch.MAX_EVENTS + " events, held "
          + batch.events().size()));
      return errors;
    }
    for (int i = 0; i < batch.events().size(); i++) {
      check(batch.events().get(i), "events[" + i + "].", errors);
    }
    return errors;
  }

  private static void check(ChangeEvent e, String at, List<FieldError> errors) {
    if (e == null) {
      errors.add(new FieldError(at.substring(0, at.length() - 1), "must be an event, was null"));
      return;
    }
    // Values are not echoed: an event carries customer data, and a problem may end up in a log.
    if (e.id() == null || !ID.matcher(e.id()).matches()) {
      errors.add(new FieldError(at + "id", "must be chg_ and 32 lower-case hex digits (ChangeEvent.idOf)"));
    }
    if (e.type() == null || !TYPES.contains(e.type())) {
      errors.add(new FieldError(at + "type", "must be " + ChangeEvent.CUSTOMER_CREATED + " or "
          + ChangeEvent.CUSTOMER_CHANGED));
    }
    if (e.customerNumber() == null || !CustomerRules.isCustomerNumber(e.customerNumber())) {
      errors.add(new FieldError(at + "customerNumber", "must be 1 to 10 letters or digits"));
    }
    if (e.externalId() != null) {
      for (FieldError error : CustomerRules.checkExternalId(e.externalId())) {
        errors.add(new FieldError(at + error.field(), error.message()));
      }
    }
    if (e.changedAt() == null) {
      errors.add(new FieldError(at + "changedAt", "is required"));
    }
  }
}
