package io.ferry.agent.metrics;

import io.ferry.agent.sap.SapCall;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SapLayer;

/**
 * Times every call that goes to SAP ({@code ferry.agent.sap.call}, tagged with the call's operation). It is the
 * innermost layer, inside retries and the breaker, so each retry is one timed call and a call the open breaker
 * refuses is none.
 */
final class MeteredCalls implements SapLayer {

  private final String backend;
  private final AgentMetrics metrics;

  MeteredCalls(String backend, AgentMetrics metrics) {
    this.backend = backend;
    this.metrics = metrics;
  }

  @Override
  public <T> T around(SapCall<T> call, Inner inner) throws SapException {
    long started = System.nanoTime();
    String outcome = "error";
    try {
      T result = inner.run(call);
      outcome = "success";
      return result;
    } catch (SapException e) {
      outcome = e.kind().name().toLowerCase(java.util.Locale.ROOT);
      e.missingSetting().ifPresent(metrics::settingMissing);
      throw e;
    } finally {
      metrics.sapCall(backend, call.operation(), outcome, System.nanoTime() - started);
    }
  }
}
