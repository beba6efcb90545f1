package io.ferry.agent.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ferry.agent.function.FunctionPort;
import io.ferry.agent.policy.GenericGrants;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SimulatedSap;
import io.ferry.protocol.Action;
import io.ferry.protocol.Catalog;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.function.FunctionCall;
import io.ferry.protocol.function.FunctionInterface;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** catalog.read's answer, and the fingerprint every poll carries: what changes it and what does not. */
class CatalogFingerprintTest {

  private static final GenericGrants GRANTS = new GenericGrants(Set.of("RFC_READ_TABLE", "BAPI_COMPANYCODE_GETLIST"),
      Set.of("RFC_READ_TABLE"), List.of(new GenericGrants.Resource("API_BUSINESS_PARTNER", "A_BusinessPartner",
          Set.of("POST", "GET")), new GenericGrants.Resource("API_SALES_ORDER_SRV", "*", Set.of("GET"))));

  /** A port that answers a fixed interface for every function, or fails while SAP is "down". */
  private static final class FakePort implements FunctionPort {
    volatile boolean down;
    volatile String description = "Read a table";
    final AtomicInteger describes = new AtomicInteger();

    @Override
    public FunctionInterface describe(String function) throws SapException {
      describes.incrementAndGet();
      if (down) {
        throw new SapException(SapException.Kind.UNAVAILABLE, SapErrorCodes.UNAVAILABLE, "SAP is not reachable",
            List.of());
      }
      return new FunctionInterface(function, description, JsonNodeFactory.instance.objectNode(),
          JsonNodeFactory.instance.objectNode(), List.of(), false, null);
    }

    @Override
    public Prepared prepare(FunctionCall call) {
      throw new UnsupportedOperationException();
    }
  }

  private static String fingerprint(GenericGrants grants, FunctionPort port) {
    CatalogFingerprint f = new CatalogFingerprint(grants, port, SapCalls.DIRECT);
    f.refresh();
    return f.current();
  }

  @Test
  void catalogReadListsTheGrantsWithSapsInterfacesAndTheFingerprint() throws Exception {
    try (SimulatedSap sap = SimulatedSap.start(SimulatedSap.Kind.BAPI)) {
      CatalogFingerprint catalog = new CatalogFingerprint(GRANTS,
          sap.backend().port(FunctionPort.class).orElseThrow(), SapCalls.DIRECT);
      assertThat(catalog.refresh()).isTrue();
      JobEnvelope job = JobEnvelope.withPayload(Protocol.VERSION, "job-c", Action.CATALOG_READ, 1,
          Instant.now().plusSeconds(60), Instant.now().plusSeconds(600), null, JsonNodeFactory.instance.objectNode());

      JobResult r = new CatalogJobs(catalog).run(job, false);

      Catalog answer = Protocol.json().treeToValue(r.output(), Catalog.class);
      assertThat(answer.fingerprint()).isEqualTo(catalog.current()).matches("[0-9a-f]{16}");
      assertThat(answer.functions()).containsExactly(
          new Catalog.Function("BAPI_COMPANYCODE_GETLIST", "List of company codes", false),
          new Catalog.Function("RFC_READ_TABLE", "External access to R/3 tables via RFC", true));
      assertThat(answer.odata()).containsExactly(
          new Catalog.ODataResource("API_BUSINESS_PARTNER", "A_BusinessPartner", List.of("GET", "POST")),
          new Catalog.ODataResource("API_SALES_ORDER_SRV", "*", List.of("GET")));
      JsonNode wire = r.output();
      assertThat(wire.path("functions").get(1).path("repeatable").asBoolean()).isTrue();
    }
  }

  @Test
  void theFingerprintChangesWhenTheGrantsChangeAndOnlyThen() {
    FakePort port = new FakePort();
    String before = fingerprint(GRANTS, port);

    assertThat(fingerprint(GRANTS, port)).isEqualTo(before);
    assertThat(fingerprint(new GenericGrants(Set.of("RFC_READ_TABLE", "BAPI_COMPANYCODE_GETLIST", "STFC_STRUCTURE"),
        GRANTS.repeatableFunctions(), GRANTS.odataResources()), port)).isNotEqualTo(before);
    assertThat(fingerprint(new GenericGrants(GRANTS.functions(), Set.of(), GRANTS.odataResources()), port))
        .isNotEqualTo(before);
    assertThat(fingerprint(new GenericGrants(GRANTS.functions(), GRANTS.repeatableFunctions(),
        GRANTS.odataResources().subList(0, 1)), port)).isNotEqualTo(before);
  }

  @Test
  void theFingerprintChangesWhenSapChangesAnAllowedFunctionsInterface() {
    FakePort port = new FakePort();
    CatalogFingerprint catalog = new CatalogFingerprint(GRANTS, port, SapCalls.DIRECT);
    catalog.refresh();
    String before = catalog.current();

    port.description = "Read a table (changed by a transport)";
    catalog.refresh();

    assertThat(catalog.current()).isNotEqualTo(before);
  }

  @Test
  void whileSapIsDownTheFingerprintIsOverTheGrantsAloneAndReadAgainLater() {
    FakePort port = new FakePort();
    port.down = true;
    CatalogFingerprint catalog = new CatalogFingerprint(GRANTS, port, SapCalls.DIRECT);

    assertThat(catalog.refresh()).isFalse();
    String grantsOnly = catalog.current();
    assertThat(grantsOnly).isEqualTo(CatalogFingerprint.hash(GRANTS, java.util.Map.of()));

    port.down = false;
    Catalog answer = catalog.catalog(); // an incomplete reading is read again when asked

    assertThat(answer.functions()).extracting(Catalog.Function::description).containsOnly("Read a table");
    assertThat(catalog.current()).isNotEqualTo(grantsOnly).isEqualTo(answer.fingerprint());
  }

  @Test
  void anAgentWithoutGrantsHasNoFingerprintAndAnEmptyCatalog() {
    CatalogFingerprint none = CatalogFingerprint.none();

    assertThat(none.current()).isNull();
    assertThat(none.catalog().functions()).isEmpty();
    assertThat(none.catalog().odata()).isEmpty();
    assertThat(new CatalogFingerprint(GenericGrants.NONE, new FakePort(), SapCalls.DIRECT).start(Duration.ofMillis(1))
        .current()).isNull();
  }

  @Test
  void theTimerReadsTheInterfacesAgainUntilItIsClosed() throws Exception {
    FakePort port = new FakePort();
    CatalogFingerprint catalog = new CatalogFingerprint(GRANTS, port, SapCalls.DIRECT).start(Duration.ofMillis(20));
    try {
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (port.describes.get() < 3 * GRANTS.functions().size() && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertThat(port.describes.get()).isGreaterThanOrEqualTo(3 * GRANTS.functions().size());
    } finally {
      catalog.close();
    }
    Thread.sleep(100); // a refresh under way ends
    int after = port.describes.get();
    Thread.sleep(200);
    assertThat(port.describes.get()).isEqualTo(after);
  }
}
