package io.ferry.agent.journal;

import io.ferry.agent.relay.RelayException;
import io.ferry.protocol.JobResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the journal delivers results: the relay's result endpoint (poll transport), or the group's SQS results
 * queue (SQS transport).
 */
public interface ResultSender {

  /** What became of one result of {@link #sendResults}. */
  enum Fate {
    /** Taken, now or before (an identical resend). */
    TAKEN,
    /** The relay will never take it (a newer attempt holds the job, it ended, it is unknown): do not resend it. */
    REFUSED
  }

  /** Delivers one result; a {@link RelayException} says whether to drop it or back off and try again. */
  void sendResult(JobResult result) throws RelayException;

  /**
   * Delivers several results, a fate each in their order; a {@link RelayException} means none may count as
   * delivered (send them all again later; a result already taken answers as taken). One by one unless the
   * destination can take them together.
   */
  default List<Fate> sendResults(List<JobResult> results) throws RelayException {
    List<Fate> fates = new ArrayList<>(results.size());
    for (JobResult r : results) {
      try {
        sendResult(r);
        fates.add(Fate.TAKEN);
      } catch (RelayException e) {
        if (e.kind() != RelayException.Kind.REJECTED) {
          throw e;
        }
        fates.add(Fate.REFUSED);
      }
    }
    return fates;
  }
}
