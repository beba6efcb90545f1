package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The relay's answer to one {@link StreamRequest}: what the HTTP route would have answered — the poll's jobs,
 * the batch's receipts — or the problem it would have answered with, its HTTP status included.
 *
 * @param id the {@link StreamRequest#id()} answered
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StreamAnswer(long id, PollResponse jobs, ResultReceipts receipts, Problem problem) {

  public static StreamAnswer jobs(long id, PollResponse jobs) {
    return new StreamAnswer(id, jobs, null, null);
  }

  public static StreamAnswer receipts(long id, ResultReceipts receipts) {
    return new StreamAnswer(id, null, receipts, null);
  }

  public static StreamAnswer problem(long id, Problem problem) {
    return new StreamAnswer(id, null, null, problem);
  }
}
