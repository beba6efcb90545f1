package io.ferry.agent.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Action;
import io.ferry.protocol.Customer;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import java.util.List;
import java.util.Optional;
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

  private final AgentPolicy policy;

  public JobGate(AgentPolicy policy) {
    this.policy = policy;
  }

  /** Empty when the agent may run the job; otherwise the error to answer with, without calling SAP. */
  public Optional<JobError> refusal(JobEnvelope job) {
    Optional<JobError> refused = check(job);
    refused.ifPresent(e -> log.warn("{} job {} refused: {}", e.code(), job.jobId(), e.message()
        + (e.code().equals(AgentPolicy.ACTION_FORBIDDEN) ? " (allowed: " + allowedActions() + ")" : "")));
    return refused;
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
      default -> { }
    }
    if (!policy.salesOrganizations().isEmpty() && (action == Action.CUSTOMER_CREATE || action == Action.CUSTOMER_UPSERT
        || namesSalesArea) && !policy.permitsSalesOrganization(salesOrganization)) {
      return refuse(AgentPolicy.SALES_ORGANIZATION_FORBIDDEN, (salesOrganization == null ? "a customer without a sales "
          + "organisation" : "sales organisation " + salesOrganization) + " is not in this agent's policy.sales-organizations");
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
