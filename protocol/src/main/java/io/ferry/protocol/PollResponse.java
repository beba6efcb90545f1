package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The answer to a poll: zero or more jobs. An empty list simply means "poll again". */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PollResponse(int protocolVersion, List<JobEnvelope> jobs) {

  public PollResponse {
    jobs = jobs == null ? List.of() : List.copyOf(jobs);
  }
}
