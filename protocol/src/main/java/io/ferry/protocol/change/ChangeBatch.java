package io.ferry.protocol.change;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Changes an agent sends to {@link io.ferry.protocol.Protocol#CHANGES_PATH}, oldest first; at most
 * {@link #MAX_EVENTS} per request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChangeBatch(int protocolVersion, List<ChangeEvent> events) {

  public static final int MAX_EVENTS = 200;

  public ChangeBatch {
    events = events == null ? List.of() : List.copyOf(events);
  }
}
