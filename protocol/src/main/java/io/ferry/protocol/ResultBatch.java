package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Results of several jobs in one request ({@link Protocol#RESULTS_PATH}): what an agent finished while its
 * previous delivery was on the wire goes in the next one, so a busy agent posts one request for many jobs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResultBatch(int protocolVersion, List<JobResult> results) {

  /** The most results a relay takes in one batch. */
  public static final int MAX_RESULTS = 64;

  public ResultBatch {
    results = results == null ? List.of() : List.copyOf(results);
  }
}
