package io.ferry.sapsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.sap.conn.jco.JCoContext;
import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two SAP sessions at once: JCo keeps a context per thread, so each session is a thread of its own,
 * and latches order them.
 */
class EnqueueLockTest {

  private static final String REF = "0000001000";

  private final SapSimulator sim = SapSimulator.instance();
  private final ExecutorService other = Executors.newSingleThreadExecutor();
  private JCoDestination dest;
  private Bapis bapi;

  @BeforeEach
  void setUp() throws JCoException {
    sim.reset();
    dest = TestDestinations.get(TestDestinations.SIM);
    bapi = new Bapis(dest);
  }

  @AfterEach
  void tearDown() {
    other.shutdownNow();
  }

  private JCoFunction changeCity(String kunnr, String city) throws JCoException {
    JCoFunction f = bapi.function(FunctionCatalog.CHANGE);
    f.getImportParameterList().setValue("CUSTOMERNO", kunnr);
    f.getImportParameterList().setValue("PI_SALESORG", "1000");
    f.getImportParameterList().getStructure("PI_COMPANYDATA").setValue("CITY", city);
    f.getImportParameterList().getStructure("PI_COMPANYDATAX").setValue("CITY", "X");
    return f;
  }

  /** In the other thread: begin a context, change the customer, then wait until told how to end. */
  private Future<Bapis.Result> holdChange(CountDownLatch changed, CountDownLatch release, String ending) {
    return other.submit(() -> {
      JCoContext.begin(dest);
      try {
        Bapis.Result r = bapi.run(changeCity(REF, "Heidelberg"));
        changed.countDown();
        assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
        switch (ending) {
          case "commit" -> bapi.commit();
          case "rollback" -> bapi.rollback();
          default -> { }
        }
        return r;
      } finally {
        JCoContext.end(dest);
      }
    });
  }

  private Bapis.Result changeInOwnContext(String city) throws JCoException {
    JCoContext.begin(dest);
    try {
      Bapis.Result r = bapi.run(changeCity(REF, city));
      if (!r.type().equals("E")) {
        bapi.commit();
      }
      return r;
    } finally {
      JCoContext.end(dest);
    }
  }

  @Test
  void aPendingChangeLocksTheCustomerForOtherSessionsUntilCommit() throws Exception {
    CountDownLatch changed = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<Bapis.Result> first = holdChange(changed, release, "commit");
    assertThat(changed.await(10, TimeUnit.SECONDS)).isTrue();

    Bapis.Result refused = changeInOwnContext("Mannheim");
    assertThat(refused.type()).isEqualTo("E");
    assertThat(refused.id() + " " + refused.number()).isEqualTo("F2 042");
    assertThat(refused.message()).isEqualTo("Account 0000001000 is already being processed by FERRY");
    assertThat(sim.lockHolder(REF)).contains("FERRY");

    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS).type()).isEqualTo("S");
    assertThat(sim.lockHolder(REF)).isEmpty();
    assertThat(sim.customer(REF).orElseThrow()).containsEntry("CITY", "Heidelberg");

    assertThat(changeInOwnContext("Mannheim").type()).isEqualTo("S");
    assertThat(sim.customer(REF).orElseThrow()).containsEntry("CITY", "Mannheim");
  }

  @Test
  void rollbackAndTheEndOfTheContextReleaseTheLock() throws Exception {
    for (String ending : new String[] {"rollback", "end"}) {
      CountDownLatch changed = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<Bapis.Result> first = holdChange(changed, release, ending);
      assertThat(changed.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(sim.lockHolder(REF)).as(ending).contains("FERRY");

      release.countDown();
      first.get(10, TimeUnit.SECONDS);
      assertThat(sim.lockHolder(REF)).as(ending).isEmpty();
      assertThat(sim.customer(REF).orElseThrow()).as(ending).containsEntry("CITY", "Walldorf");
    }
  }

  @Test
  void theSameSessionMayChangeItsLockedCustomerAgainAndReadsAreNeverBlocked() throws Exception {
    JCoContext.begin(dest);
    try {
      assertThat(bapi.run(changeCity(REF, "Heidelberg")).type()).isEqualTo("S");
      assertThat(bapi.run(changeCity(REF, "Mannheim")).type()).isEqualTo("S");
      JCoFunction detail = CompletableFuture.supplyAsync(() -> {
        try {
          return bapi.getDetail2(REF);
        } catch (JCoException e) {
          throw new IllegalStateException(e);
        }
      }).join();
      assertThat(bapi.returnType(detail)).isEmpty();
      bapi.commit();
    } finally {
      JCoContext.end(dest);
    }
    assertThat(sim.customer(REF).orElseThrow()).containsEntry("CITY", "Mannheim");
  }

  @Test
  void aCallOutsideAContextHoldsNoLockAfterItReturns() throws Exception {
    assertThat(bapi.run(changeCity(REF, "Heidelberg")).type()).isEqualTo("S");

    assertThat(sim.lockHolder(REF)).isEmpty();
  }

  @Test
  void aPendingCreateLocksTheNewNumberUntilCommit() throws Exception {
    JCoContext.begin(dest);
    try {
      String number = bapi.create("Acme GmbH", "Berlin").customerNumber();
      assertThat(sim.lockHolder(number)).contains("FERRY");
      bapi.commit();
      assertThat(sim.lockHolder(number)).isEmpty();
    } finally {
      JCoContext.end(dest);
    }
  }
}
