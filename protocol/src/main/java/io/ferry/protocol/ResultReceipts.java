package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The relay's answer to a {@link ResultBatch}: one receipt per result, in the batch's order.
 *
 * @param receipts each with the status the single result endpoint would have answered: 204 when the result is
 *     taken (now or before, identical), otherwise its status (404, 409, 422 …) and the problem
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResultReceipts(int protocolVersion, List<Receipt> receipts) {

  public ResultReceipts {
    receipts = receipts == null ? List.of() : List.copyOf(receipts);
  }

  /** What became of one result; {@code problem} is null when it was taken. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Receipt(String jobId, int attempt, int status, Problem problem) {

    public boolean taken() {
      return status == 204;
    }
  }
}
