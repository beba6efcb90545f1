package io.ferry.relay.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Action;
import io.ferry.relay.auth.ApiCaller;
import io.ferry.relay.catalog.CatalogCache;
import io.ferry.relay.dispatch.JobOutput;
import io.ferry.relay.dispatch.JobRequest;
import io.ferry.relay.store.JobState;
import io.javalin.http.Context;

/**
 * A read of what an agent allows (catalog, function interface, OData schema or $metadata): answered from the
 * {@link CatalogCache} when the agents' fingerprint still holds, else a job like any other, whose answer is kept.
 */
final class GenericReads {

  private final EngineHandlers engine;
  private final CatalogCache catalogs;

  GenericReads(EngineHandlers engine, CatalogCache catalogs) {
    this.engine = engine;
    this.catalogs = catalogs;
  }

  /**
   * Answers {@code action} with {@code payload} (null: none) as {@code view} says, from the cache under {@code kind}
   * and {@code name} when it holds the answer.
   */
  void read(Context ctx, ApiCaller caller, Action action, ObjectNode payload, JobRequest.View view,
      CatalogCache.Kind kind, String name) {
    String tenant = caller.tenantId();
    String group = EngineHandlers.agentGroup(ctx);
    JobRequest request = JobRequest.generic(payload, view);
    var kept = catalogs.get(tenant, group, kind, name);
    if (kept.isPresent()) {
      GenericAnswers.render(action, kept.get(), request, engine.baseUrl(ctx)).header(CACHE_HEADER, "hit").send(ctx);
      return;
    }
    String askedUnder = catalogs.fingerprint(tenant, group);
    engine.submit(ctx, caller, action, request.toJson(), null, null, null, askedUnder == null ? null : job -> {
      if (job.state() == JobState.SUCCEEDED) {
        JsonNode output = JobOutput.fromJson(action, job.resultJson()).output();
        JsonNode own = output.get("fingerprint");
        catalogs.put(tenant, group, kind, name, askedUnder, own != null && own.isTextual() ? own.asText() : null,
            output);
      }
    });
  }

  /** Says that an answer came from the relay's cache rather than a job: for operators and tests. */
  static final String CACHE_HEADER = "Ferry-Cache";
}
