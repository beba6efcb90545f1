package io.ferry.agent.sap;

import io.ferry.agent.sap.setup.SapSettings;
import io.ferry.agent.sap.setup.SapBackends;
import io.ferry.agent.sap.odata.ODataSettings;
import io.ferry.odatapeer.ODataPeer;
import io.ferry.sapsim.SapSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;

/**
 * One SAP backend against its own freshly reset simulated SAP: BAPI against the JCo simulator, OData
 * against the peer. Both number new customers from 0000100001, so the same creates give the same numbers.
 */
public final class SimulatedSap implements AutoCloseable {

  public enum Kind { BAPI, ODATA }

  private static final SapSettings BAPI = new SapSettings("bapi", "FERRY_SIMULATED",
      Map.of("jco.client.ashost", "sap-simulator.local", "jco.client.sysnr", "00", "jco.client.client", "100",
          "jco.client.user", "FERRY", SapSettings.PASSWORD_KEY, "test-secret-Qw81", "jco.client.lang", "EN"),
      Map.of("1000/10/00", "1000"));

  private final ODataPeer peer;
  private final SapBackend backend;

  private SimulatedSap(ODataPeer peer, SapBackend backend) {
    this.peer = peer;
    this.backend = backend;
  }

  public static SimulatedSap start(Kind kind) {
    return start(kind, null);
  }

  /** @param correlationField {@code sap.correlation-field}: null for the backend's default, {@code none} for off */
  public static SimulatedSap start(Kind kind, String correlationField) {
    if (kind == Kind.BAPI) {
      SapSimulator.instance().reset();
      return new SimulatedSap(null, SapBackends.open(BAPI.withCorrelationField(correlationField)));
    }
    try {
      ODataPeer peer = ODataPeer.start(ODataPeer.Options.defaults().withFirstNumber(100001));
      return new SimulatedSap(peer, SapBackends.open(SapSettings.odata(ODataSettings.basic(URI.create(peer.url()),
          peer.options().client(), peer.options().user(), peer.options().password()))
          .withCorrelationField(correlationField)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The next create commits in SAP and then loses its answer: BAPI_TRANSACTION_COMMIT posts and the
   * connection breaks (JCo 102); the OData POST is committed and answered 503.
   */
  public void loseTheAnswerOfTheNextCreate() {
    if (peer == null) {
      SapSimulator.instance().failAfterNextCallOf("BAPI_TRANSACTION_COMMIT",
          com.sap.conn.jco.JCoException.JCO_ERROR_COMMUNICATION);
    } else {
      peer.failAfterNextCreate();
    }
  }

  /** The OData peer; null for the BAPI backend (its SAP is {@code SapSimulator.instance()}). */
  public ODataPeer peer() {
    return peer;
  }

  public SapBackend backend() {
    return backend;
  }

  /** The backend's customer port, called directly (no guard, retries or metering). */
  public io.ferry.agent.customer.CustomerPort customers() {
    return backend.port(io.ferry.agent.customer.CustomerPort.class).orElseThrow();
  }

  @Override
  public void close() {
    backend.close();
    if (peer != null) {
      peer.close();
    }
  }
}
