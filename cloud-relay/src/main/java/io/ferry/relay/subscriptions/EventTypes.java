package io.ferry.relay.subscriptions;

import io.ferry.protocol.change.ChangeEvent;
import java.util.List;

/** The change-feed event types a subscription may ask for. */
public final class EventTypes {

  public static final List<String> ALL = List.of(ChangeEvent.CUSTOMER_CREATED, ChangeEvent.CUSTOMER_CHANGED);

  private EventTypes() {}
}
