package io.ferry.relay.subscriptions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Protocol;
import io.ferry.relay.store.ChangeStore.StoredChange;
import java.time.Instant;

/** A change as a webhook's body: the same JSON as one entry of {@code GET /v1/customer-changes}. */
final class EventBody {

  private static final ObjectMapper JSON = Protocol.json();

  private EventBody() {}

  static byte[] of(StoredChange c) {
    try {
      JsonNode customer = c.customerJson() == null ? null : JSON.readTree(c.customerJson());
      return JSON.writeValueAsBytes(new Event(c.eventId(), c.type(), c.customerNumber(), c.externalId(),
          c.changedAt(), customer));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored change's customer is not JSON", e);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Event(String id, String type, String customerNumber, String externalId, Instant changedAt,
      JsonNode customer) {}
}
