package io.ferry.agent.catalog;

import io.ferry.agent.handler.JobHandler;
import io.ferry.agent.handler.JobRefused;
import io.ferry.protocol.Action;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import java.util.Set;

/**
 * Answers {@code catalog.read}: the function modules and OData resources this agent's policy lets engines reach, with
 * SAP's short texts and the fingerprint the agent's polls report ({@link CatalogFingerprint}). Nothing outside the
 * policy is listed, whatever SAP has.
 */
public final class CatalogJobs implements JobHandler {

  private final CatalogFingerprint catalog;

  public CatalogJobs(CatalogFingerprint catalog) {
    this.catalog = catalog;
  }

  @Override
  public Set<Action> actions() {
    return Set.of(Action.CATALOG_READ);
  }

  @Override
  public JobResult run(JobEnvelope job, boolean again) throws JobRefused {
    if (job.action() != Action.CATALOG_READ) {
      throw JobRefused.invalid("catalog jobs do not include " + job.action().wireName());
    }
    return JobResult.produced(job, Protocol.json().valueToTree(catalog.catalog()));
  }

  @Override
  public String toString() {
    return "the catalog";
  }
}
