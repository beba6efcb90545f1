package io.ferry.agent.metrics;

import io.ferry.agent.sap.Correlation;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapDiagnosis;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.SearchQuery;
import java.util.Optional;

/**
 * Times every call that goes to SAP ({@code ferry.agent.sap.call}). It sits directly around the real
 * backend, inside retries and the breaker, so each retry is one timed call and a call the open breaker
 * refuses is none.
 */
final class MeteredBackend implements SapBackend {

  @FunctionalInterface
  interface Call<T> {
    T run() throws SapException;
  }

  private final SapBackend sap;
  private final AgentMetrics metrics;

  MeteredBackend(SapBackend sap, AgentMetrics metrics) {
    this.sap = sap;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return sap.name();
  }

  @Override
  public Customer create(Customer customer) throws SapException {
    return timed("create", () -> sap.create(customer));
  }

  @Override
  public Customer create(Customer customer, Correlation correlation) throws SapException {
    return timed("create", () -> sap.create(customer, correlation));
  }

  @Override
  public Optional<Correlation> correlation(String jobId) {
    return sap.correlation(jobId);
  }

  @Override
  public Optional<Customer> findByCorrelation(Correlation correlation) throws SapException {
    return timed("find", () -> sap.findByCorrelation(correlation));
  }

  @Override
  public Customer read(String customerNumber) throws SapException {
    return timed("read", () -> sap.read(customerNumber));
  }

  @Override
  public Customer update(String customerNumber, CustomerPatch patch) throws SapException {
    return timed("update", () -> sap.update(customerNumber, patch));
  }

  @Override
  public Optional<Customer> findByExternalId(String externalId) throws SapException {
    return timed("find", () -> sap.findByExternalId(externalId));
  }

  @Override
  public CustomerPage search(SearchQuery query) throws SapException {
    return timed("search", () -> sap.search(query));
  }

  @Override
  public SapDiagnosis diagnose() {
    return sap.diagnose();
  }

  @Override
  public void close() {
    sap.close();
  }

  private <T> T timed(String operation, Call<T> call) throws SapException {
    long started = System.nanoTime();
    String outcome = "error";
    try {
      T result = call.run();
      outcome = "success";
      return result;
    } catch (SapException e) {
      outcome = e.kind().name().toLowerCase(java.util.Locale.ROOT);
      e.missingSetting().ifPresent(metrics::settingMissing);
      throw e;
    } finally {
      metrics.sapCall(sap.name(), operation, outcome, System.nanoTime() - started);
    }
  }
}
