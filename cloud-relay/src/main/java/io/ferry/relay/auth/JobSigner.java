package io.ferry.relay.auth;

import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobSignature;

/**
 * Signs the jobs the relay hands out ({@link JobSignature}): a job handed to a poll made in an agent session
 * with that session's secret (an HMAC, microseconds), any other — a poll signed with the agent's key, a job
 * sent to a queue any agent of a group may read — with the relay's job-signing key (ECDSA). Both secrets are
 * the relay's own files, so the MAC protects against the same people the signature does.
 */
public final class JobSigner {

  private final JobSigningKey key;
  private final AgentSessions sessions;

  public JobSigner(JobSigningKey key, AgentSessions sessions) {
    this.key = key;
    this.sessions = sessions;
  }

  /** @param session the agent session the job goes to, or null when it goes to no session */
  public JobEnvelope sign(JobEnvelope job, String session) {
    return session == null ? key.sign(job) : JobSignature.mac(sessions.secret(session), session, job);
  }
}
