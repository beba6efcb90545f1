package io.ferry.agent.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Action;
import io.ferry.protocol.Customer;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.JobSignature;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first thing that happens to a job the relay handed out: may this agent run it at all? Checked
 * before SAP is called, from the job alone: its action, and the sales organisation and company code it
 * names. What the relay claims about a job counts for nothing here; only the agent's own policy does.
 *
 * <p>The one place a job is admitted, so later checks of the job itself (the relay's signature, its
 * deadline, a replay) belong here too.
 */
public final class JobGate {

  private static final Logger log = LoggerFactory.getLogger(JobGate.class);

  /** No relay signature, though the agent pinned the relay's key at enrollment. */
  public static final String UNSIGNED = "FERRY-AGENT-0310";
  /** The signature does not match the job: altered on the way, or not made by the pinned relay key. */
  public static final String SIGNATURE_MISMATCH = "FERRY-AGENT-0311";
  /** The job's deadline has passed. */
  public static final String EXPIRED = "FERRY-AGENT-0312";
  /** This job id and attempt were delivered before. */
  public static final String REPLAYED = "FERRY-AGENT-0313";

  private final AgentPolicy policy;
  private final PublicKey relayKey;
  private final Function<String, byte[]> sessionSecrets;
  private final Clock clock;
  private final SeenJobs seen;

  /** The policy only: for tests of the policy and agents without a data directory. */
  public JobGate(AgentPolicy policy) {
    this(policy, null, null, null);
  }

  /**
   * @param relayKey the relay's job-signing key pinned at enrollment; null for an agent enrolled with a relay
   *     that did not sign jobs (then unsigned jobs are accepted: enroll again to pin a key)
   * @param clock for the deadline check; null for none
   * @param seen the journal of admitted deliveries, for the replay check; null for none
   */
  public JobGate(AgentPolicy policy, PublicKey relayKey, Clock clock, SeenJobs seen) {
    this(policy, relayKey, session -> null, clock, seen);
  }

  /**
   * @param sessionSecrets the secret of one of this agent's sessions by its name, or null when it holds no such
   *     session (any more): a job handed to a poll made in a session is signed with the session's secret
   */
  public JobGate(AgentPolicy policy, PublicKey relayKey, Function<String, byte[]> sessionSecrets, Clock clock,
      SeenJobs seen) {
    this.policy = policy;
    this.relayKey = relayKey;
    this.sessionSecrets = sessionSecrets;
    this.clock = clock;
    this.seen = seen;
  }

  /** Empty when the agent may run the job; otherwise the error to answer with, without calling SAP. */
  public Optional<JobError> refusal(JobEnvelope job) {
    return refusal(job, 1);
  }

  /**
   * As {@link #refusal(JobEnvelope)} for the {@code receiveCount}-th delivery of this envelope (SQS's receive
   * count in SQS transport, which SQS sets and no sender can; 1 for the relay's polls): the replay check tells
   * deliveries apart by the relay's attempt and that count.
   */
  public Optional<JobError> refusal(JobEnvelope job, int receiveCount) {
    Optional<JobError> refused = checkEnvelope(job).or(() -> check(job)).or(() -> checkReplay(job, receiveCount));
    refused.ifPresent(e -> log.warn("{} job {} refused: {}", e.code(), job.jobId(), e.message()
        + (e.code().equals(AgentPolicy.ACTION_FORBIDDEN) ? " (allowed: " + allowedActions() + ")" : "")));
    return refused;
  }

  /** The relay's signature and the deadline: is this the job the relay made, and does it still count? */
  private Optional<JobError> checkEnvelope(JobEnvelope job) {
    if (relayKey != null) {
      if (job.signature() == null) {
        return refuse(UNSIGNED, "the job carries no relay signature, but this agent pinned the relay's key at "
            + "enrollment");
      }
      Optional<String> session = JobSignature.sessionOf(job);
      boolean genuine = session.isPresent()
          ? JobSignature.verifyMac(sessionSecrets.apply(session.get()), job)
          : JobSignature.verify(relayKey, job);
      if (!genuine) {
        return refuse(SIGNATURE_MISMATCH, "the job's signature does not match its content, the relay key pinned "
            + "at enrollment or a session of this agent: it was altered, or it does not come from the relay");
      }
    }
    if (clock != null && job.deadline() != null && !job.deadline().isAfter(clock.instant())) {
      return refuse(EXPIRED, "the job's deadline " + job.deadline() + " has passed");
    }
    return Optional.empty();
  }

  private Optional<JobError> checkReplay(JobEnvelope job, int receiveCount) {
    // The first receive of an attempt keeps the poll transport's key (job:attempt); SQS's later receives of
    // the same message add their count (job:attempt.count).
    String delivery = receiveCount <= 1 ? Integer.toString(job.attempt()) : job.attempt() + "." + receiveCount;
    if (seen != null && !seen.firstTime(job.jobId(), delivery)) {
      return refuse(REPLAYED, "attempt " + job.attempt() + (receiveCount <= 1 ? "" : " (receive " + receiveCount + ")")
          + " of job " + job.jobId() + " was delivered before");
    }
    return Optional.empty();
  }

  private Optional<JobError> check(JobEnvelope job) {
    Action action = job.action();
    if (action == null || !policy.permits(action)) {
      return refuse(AgentPolicy.ACTION_FORBIDDEN, "this agent does not run "
          + (action == null ? "jobs without an action" : action.wireName()) + " (policy.actions)");
    }
    String salesOrganization = null;
    String companyCode = null;
    boolean namesSalesArea = false;
    boolean namesCompanyCode = false;
    switch (action) {
      case CUSTOMER_CREATE, CUSTOMER_UPSERT -> {
        Customer c = job.customer();
        if (c != null) {
          namesSalesArea = c.salesArea() != null;
          salesOrganization = namesSalesArea ? c.salesArea().salesOrganization() : null;
          namesCompanyCode = c.companyCode() != null;
          companyCode = c.companyCode();
        }
      }
      case CUSTOMER_UPDATE -> {
        JsonNode changes = job.changes();
        if (changes != null) {
          JsonNode area = changes.path("salesArea");
          namesSalesArea = area.isObject();
          salesOrganization = area.path("salesOrganization").isTextual() ? area.path("salesOrganization").asText() : null;
          namesCompanyCode = changes.path("companyCode").isTextual();
          companyCode = namesCompanyCode ? changes.path("companyCode").asText() : null;
        }
      }
      default -> {
        // Every object after customers carries its request as a payload; one with a sales area names it there.
        JsonNode area = job.payload() == null ? null : job.payload().path("salesArea");
        namesSalesArea = area != null && area.isObject();
        salesOrganization = namesSalesArea && area.path("salesOrganization").isTextual()
            ? area.path("salesOrganization").asText() : null;
      }
    }
    // Generic calls name no business object to judge: what policy.functions and policy.odata.resources name is
    // their limit, so a sales-organisation list does not refuse them all.
    boolean creates = action == Action.CUSTOMER_CREATE || action == Action.CUSTOMER_UPSERT
        || (action.carriesPayload() && !action.isRead() && !action.isGeneric());
    if (!policy.salesOrganizations().isEmpty() && (creates || namesSalesArea) && !policy.permitsSalesOrganization(salesOrganization)) {
      return refuse(AgentPolicy.SALES_ORGANIZATION_FORBIDDEN, (salesOrganization == null ? "a "
          + (action.carriesPayload() ? action.wireName() + " job" : "customer") + " without a sales organisation"
          : "sales organisation " + salesOrganization) + " is not in this agent's policy.sales-organizations");
    }
    if (namesCompanyCode && !policy.permitsCompanyCode(companyCode)) {
      return refuse(AgentPolicy.COMPANY_CODE_FORBIDDEN,
          "company code " + companyCode + " is not in this agent's policy.company-codes");
    }
    return Optional.empty();
  }

  private String allowedActions() {
    return policy.actions().stream().sorted().map(Action::wireName).collect(Collectors.joining(", "));
  }

  private static Optional<JobError> refuse(String code, String reason) {
    return Optional.of(new JobError(JobError.Kind.FORBIDDEN, code, AgentPolicy.FORBIDDEN + ": " + reason, List.of()));
  }
}
