package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One message an agent sends on its stream ({@link Protocol#STREAM_PATH}): a poll or a result batch, exactly
 * one of them, numbered so that the relay's {@link StreamAnswer} can say which it answers. Answers may come
 * in any order: a poll is held while a result batch is taken.
 *
 * @param id the agent's number for this message, unique on the stream
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StreamRequest(long id, PollRequest poll, ResultBatch results) {

  public static StreamRequest poll(long id, PollRequest poll) {
    return new StreamRequest(id, poll, null);
  }

  public static StreamRequest results(long id, ResultBatch results) {
    return new StreamRequest(id, null, results);
  }
}
