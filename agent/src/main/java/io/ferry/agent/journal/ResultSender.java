package io.ferry.agent.journal;

import io.ferry.agent.relay.RelayException;
import io.ferry.protocol.JobResult;

/**
 * Where the journal delivers results: the relay's result endpoint (poll transport), or the group's SQS results
 * queue (SQS transport).
 */
public interface ResultSender {

  /** Delivers one result; a {@link RelayException} says whether to drop it or back off and try again. */
  void sendResult(JobResult result) throws RelayException;
}
