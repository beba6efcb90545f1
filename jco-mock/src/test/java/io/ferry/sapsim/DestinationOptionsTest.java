package io.ferry.sapsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sap.conn.jco.JCoContext;
import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DestinationOptionsTest {

  private final SapSimulator sim = SapSimulator.instance();
  private final List<Duration> slept = Collections.synchronizedList(new ArrayList<>());
  private final ExecutorService other = Executors.newSingleThreadExecutor();
  private SapSimulator.Sleeper previous;

  @BeforeEach
  void setUp() {
    sim.reset();
    TestDestinations.ensureRegistered();
    previous = SapSimulator.useSleeper(slept::add);
  }

  @AfterEach
  void tearDown() {
    SapSimulator.useSleeper(previous);
    other.shutdownNow();
  }

  private static JCoDestination destination(String... extra) throws JCoException {
    return TestDestinations.get(TestDestinations.define(extra));
  }

  private static void callDetail(JCoDestination d) throws JCoException {
    JCoFunction f = d.getRepository().getFunction(FunctionCatalog.GETDETAIL2);
    f.getImportParameterList().setValue("CUSTOMERNO", "0000001000");
    f.execute(d);
  }

  @Test
  void latencyIsWaitedOutPerFunctionCallThroughTheSleeper() throws Exception {
    JCoDestination fixed = destination("jco.mock.latency", "50ms");
    callDetail(fixed);
    fixed.ping();
    assertThat(slept).containsExactly(Duration.ofMillis(50));

    slept.clear();
    JCoDestination ranged = destination("jco.mock.latency", "20ms-80ms", "jco.mock.seed", "7");
    for (int i = 0; i < 20; i++) {
      callDetail(ranged);
    }
    assertThat(slept).hasSize(20).allSatisfy(d ->
        assertThat(d).isBetween(Duration.ofMillis(20), Duration.ofMillis(80)));
    assertThat(slept.stream().distinct().count()).isGreaterThan(1);

    List<Duration> first = List.copyOf(slept);
    slept.clear();
    JCoDestination sameSeed = destination("jco.mock.latency", "20ms-80ms", "jco.mock.seed", "7");
    for (int i = 0; i < 20; i++) {
      callDetail(sameSeed);
    }
    assertThat(slept).containsExactlyElementsOf(first);
  }

  @Test
  void everyNthRemoteActionFailsWithTheGroupNamed() throws Exception {
    JCoDestination d = destination("jco.mock.fail.102", "every:3");
    d.ping();
    d.ping();
    JCoException third = catchThrowableOfType(JCoException.class, d::ping);
    d.ping();
    d.ping();
    JCoException sixth = catchThrowableOfType(JCoException.class, () -> callDetail(d));

    assertThat(third.getGroup()).isEqualTo(JCoException.JCO_ERROR_COMMUNICATION);
    assertThat(sixth.getGroup()).isEqualTo(JCoException.JCO_ERROR_COMMUNICATION);
    assertThat(sim.callCount(FunctionCatalog.GETDETAIL2)).isZero();
  }

  @Test
  void aRateWithASeedFailsTheSameCallsEveryRun() throws Exception {
    List<List<Integer>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      JCoDestination d = destination("jco.mock.fail.106", "0.3", "jco.mock.fail.135", "0.2", "jco.mock.seed", "42");
      List<Integer> groups = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        try {
          d.ping();
          groups.add(0);
        } catch (JCoException e) {
          groups.add(e.getGroup());
        }
      }
      runs.add(groups);
    }
    assertThat(runs.get(0)).isEqualTo(runs.get(1));
    assertThat(runs.get(0)).contains(0, JCoException.JCO_ERROR_RESOURCE, JCoException.JCO_ERROR_TIMEOUT);

    JCoDestination always = destination("jco.mock.fail.103", "1");
    assertThat(catchThrowableOfType(JCoException.class, always::ping).getGroup())
        .isEqualTo(JCoException.JCO_ERROR_LOGON_FAILURE);
    JCoDestination never = destination("jco.mock.fail.102", "0");
    never.ping();
  }

  @Test
  void unreadableMockOrPoolSettingsMakeTheDestinationInvalid() {
    for (String[] bad : new String[][] {
        {"jco.mock.latency", "fast"}, {"jco.mock.latency", "80ms-20ms"}, {"jco.mock.fail.102", "1.5"},
        {"jco.mock.fail.102", "every:0"}, {"jco.mock.fail.999", "0.1"}, {"jco.mock.seed", "x"},
        {"jco.destination.peak_limit", "-1"}, {"jco.destination.max_get_client_time", "soon"},
        {"jco.destination.pool_capacity", "many"}}) {
      JCoException e = catchThrowableOfType(JCoException.class, () -> destination(bad));
      assertThat(e.getGroup()).as(bad[0] + "=" + bad[1]).isEqualTo(JCoException.JCO_ERROR_DESTINATION_DATA_INVALID);
      assertThat(e.getMessage()).contains(bad[0]).contains(bad[1]);
    }
  }

  @Test
  void aDeniedFunctionIsFoundButRefusedWhenCalled() throws Exception {
    JCoDestination d = destination("jco.mock.deny", "BAPI_CUSTOMER_GETDETAIL2, BAPI_CUSTOMER_FIND");

    assertThat(d.getRepository().getFunction(FunctionCatalog.GETDETAIL2)).isNotNull();
    JCoException e = catchThrowableOfType(JCoException.class, () -> callDetail(d));
    assertThat(e.getGroup()).isEqualTo(JCoException.JCO_ERROR_SYSTEM_FAILURE);
    assertThat(e.getMessage()).contains("no RFC authorization for function module BAPI_CUSTOMER_GETDETAIL2");
    assertThat(sim.callCount(FunctionCatalog.GETDETAIL2)).isZero();
  }

  @Test
  void aMissingFunctionIsNotInTheRepository() throws Exception {
    JCoDestination d = destination("jco.mock.missing", "bapi_customer_find");

    assertThat(d.getRepository().getFunction(FunctionCatalog.FIND)).isNull();
    assertThat(d.getRepository().getFunction(FunctionCatalog.GETDETAIL2)).isNotNull();
  }

  @Test
  void beyondThePeakLimitACallerWaitsForAFreeConnection() throws Exception {
    String name = TestDestinations.define("jco.destination.peak_limit", "1",
        "jco.destination.max_get_client_time", "10000");
    JCoDestination d = TestDestinations.get(name);
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<?> holder = other.submit(() -> {
      JCoContext.begin(d);
      try {
        d.ping();
        holding.countDown();
        assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
      } finally {
        JCoContext.end(d);
      }
      return null;
    });
    assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(SapSimulator.connectionsInUse(name)).isEqualTo(1);

    ExecutorService waiter = Executors.newSingleThreadExecutor();
    try {
      Future<?> waiting = waiter.submit(() -> {
        callDetail(d);
        return null;
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!SapSimulator.hasCallersWaitingForConnection(name) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(SapSimulator.hasCallersWaitingForConnection(name)).isTrue();
      assertThat(waiting.isDone()).isFalse();

      release.countDown();
      holder.get(10, TimeUnit.SECONDS);
      waiting.get(10, TimeUnit.SECONDS);
    } finally {
      waiter.shutdownNow();
    }
    assertThat(SapSimulator.connectionsInUse(name)).isZero();
  }

  @Test
  void noConnectionWithinTheMaximumWaitIsAResourceFailure() throws Exception {
    String name = TestDestinations.define("jco.destination.peak_limit", "1",
        "jco.destination.max_get_client_time", "0");
    JCoDestination d = TestDestinations.get(name);
    JCoContext.begin(d);
    try {
      d.ping();
      JCoException e = other.submit(() -> catchThrowableOfType(JCoException.class, d::ping)).get(10, TimeUnit.SECONDS);

      assertThat(e.getGroup()).isEqualTo(JCoException.JCO_ERROR_RESOURCE);
      assertThat(e.getMessage()).contains("jco.destination.peak_limit").contains("jco.destination.max_get_client_time");
      d.ping(); // the context's own connection is still there for it
    } finally {
      JCoContext.end(d);
    }
    other.submit(() -> {
      d.ping();
      return null;
    }).get(10, TimeUnit.SECONDS);
  }
}
