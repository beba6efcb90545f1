package io.ferry.e2e;

import io.ferry.agent.customer.CustomerPort;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.SearchQuery;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SAP that answers only once the test releases it: a slow system without a sleep. Every call waits
 * for {@code release}, then goes to the real backend; {@code called} counts down at the first call, so
 * a test knows a job reached SAP.
 */
record HeldSap(SapBackend sap, CountDownLatch release, CountDownLatch called) implements SapBackend, CustomerPort {

  HeldSap(SapBackend sap, CountDownLatch release) {
    this(sap, release, new CountDownLatch(1));
  }

  @Override
  public String name() {
    return sap.name();
  }

  @Override
  public Customer create(Customer c) throws SapException {
    hold();
    return customers().create(c);
  }

  @Override
  public Customer read(String n) throws SapException {
    hold();
    return customers().read(n);
  }

  @Override
  public Customer update(String n, CustomerPatch p) throws SapException {
    hold();
    return customers().update(n, p);
  }

  @Override
  public Optional<Customer> findByExternalId(String externalId) throws SapException {
    hold();
    return customers().findByExternalId(externalId);
  }

  @Override
  public CustomerPage search(SearchQuery query) throws SapException {
    hold();
    return customers().search(query);
  }

  @Override
  public void close() {
    sap.close();
  }

  private CustomerPort customers() {
    return sap.port(CustomerPort.class).orElseThrow();
  }

  private void hold() {
    called.countDown();
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
