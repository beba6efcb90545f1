package io.ferry.agent.handler;

import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Action;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobResult;
import java.util.Set;

/**
 * Runs the jobs of one business object's actions in SAP (customers: create, read, update, upsert, search). The
 * job runner around it ({@code io.ferry.agent.exec.JobRunner}) does what every job needs — the journal, the lease, the gate, the deadline — and
 * turns what it throws into the job's failure.
 */
public interface JobHandler {

  /** The actions this handler runs. */
  Set<Action> actions();

  /**
   * Runs the job against SAP.
   *
   * @param again the job was delivered before, or this agent started it before it stopped: a create looks for
   *     what an earlier attempt made before it creates
   */
  JobResult run(JobEnvelope job, boolean again) throws SapException, JobRefused, InterruptedException;
}
