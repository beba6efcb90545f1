package io.ferry.e2e;

import io.ferry.agent.Agent;
import io.ferry.agent.AgentConfig;
import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapBackends;
import io.ferry.agent.sap.SapSettings;
import io.ferry.agent.sap.odata.ODataSettings;
import io.ferry.odatapeer.ODataPeer;
import io.ferry.sapsim.SapSimulator;
import io.ferry.relay.Relay;
import io.ferry.relay.RelayAdmin;
import io.ferry.relay.RelayConfig;
import io.ferry.relay.tls.RelayTls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A relay and an agent as separate components on loopback, the agent on the simulated SAP behind the
 * JCo API: the same wiring as {@code ferry demo}, with knobs for tests.
 */
final class FerryStack implements AutoCloseable {

  static final SapSettings SIMULATED_SAP = new SapSettings("bapi", "FERRY_TEST",
      Map.of("jco.client.ashost", "sap-simulator.local", "jco.client.sysnr", "00", "jco.client.client", "100",
          "jco.client.user", "FERRY", SapSettings.PASSWORD_KEY, "test-secret-Zq93", "jco.client.lang", "EN"),
      Map.of("1000/10/00", "1000"));

  /** Which SAP backend the agent runs, each against its own simulated SAP. */
  enum Sap { BAPI, ODATA }

  private final Path dir;
  private final Duration syncWindow;
  private final UnaryOperator<SapBackend> sapWrapper;
  private final Sap sap;
  private ODataPeer odataPeer;
  private Relay relay;
  private Agent agent;
  private int port;
  private String apiKey;
  private String enrollToken;
  private String tenant;
  private RelayTls relayTls = RelayTls.NONE;
  private UnaryOperator<AgentConfig> agentSettings = UnaryOperator.identity();
  private Duration pollHold = Duration.ofSeconds(5);

  FerryStack(Path dir, Sap sap, Duration syncWindow, UnaryOperator<SapBackend> sapWrapper) {
    this.dir = dir;
    this.sap = sap;
    this.syncWindow = syncWindow;
    this.sapWrapper = sapWrapper;
  }

  FerryStack(Path dir, Sap sap) {
    this(dir, sap, Duration.ofSeconds(10), UnaryOperator.identity());
  }

  /** The relay serves HTTPS with this certificate. */
  FerryStack withRelayTls(RelayTls tls) {
    this.relayTls = tls;
    return this;
  }

  /** How long the relay holds a poll without jobs. */
  FerryStack withPollHold(Duration hold) {
    this.pollHold = hold;
    return this;
  }

  /** Changes the agent's configuration (policy, TLS, proxy) before it enrolls and starts. */
  FerryStack withAgent(UnaryOperator<AgentConfig> settings) {
    this.agentSettings = settings;
    return this;
  }

  /** Starts the relay, creates a tenant with an API key, enrolls and starts the agent. */
  FerryStack start() throws Exception {
    startRelay();
    RelayAdmin admin = relay.admin();
    tenant = admin.createTenant("e2e");
    apiKey = admin.createApiKey(tenant).key();
    enrollToken = admin.createEnrollmentToken(tenant, "default", Duration.ofHours(1));
    Agent.enroll(agentConfig(), enrollToken, "e2e-agent");
    startAgent();
    return this;
  }

  void startRelay() {
    relay = Relay.start(RelayConfig.defaults(dir.resolve("relay")).withHost("127.0.0.1").withPort(port)
        .withSyncWindow(syncWindow).withPollHold(pollHold).withTls(relayTls));
    port = relay.port(); // a restart comes back on the same port, as a real relay would
  }

  void stopRelay() {
    relay.close();
  }

  AgentConfig agentConfig() {
    return agentSettings.apply(AgentConfig.defaults(relay.baseUrl(), dir.resolve("agent"))
        .withPollTimeout(Duration.ofSeconds(15))
        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .withShutdownGrace(Duration.ofSeconds(10)));
  }

  void startAgent() throws Exception {
    AgentConfig cfg = agentConfig();
    SapSettings sap = sapSettings();
    AgentPolicy policy = cfg.policy();
    agent = Agent.start(cfg, sapWrapper.apply(SapBackends.open(sap,
        policy.calls(sap.odata() == null ? null : sap.odata().serviceUrl()))));
    if (!agent.awaitConnected(Duration.ofSeconds(15))) {
      throw new IllegalStateException("agent did not connect");
    }
  }

  private SapSettings sapSettings() throws java.io.IOException {
    if (sap == Sap.BAPI) {
      return SIMULATED_SAP;
    }
    if (odataPeer == null) {
      odataPeer = ODataPeer.start(ODataPeer.Options.defaults().withCredentials("FERRY", "peer-secret-Xy71"));
    }
    return SapSettings.odata(ODataSettings.basic(URI.create(odataPeer.url()), odataPeer.options().client(), "FERRY",
        "peer-secret-Xy71"));
  }

  /** A backend of its own on the same SAP as the agent's, for looking at what SAP holds. */
  SapBackend sap() throws java.io.IOException {
    return SapBackends.open(sapSettings());
  }

  /** Function modules called (BAPI) or HTTP requests served (OData) so far: "did SAP see anything?" */
  int sapCalls() {
    return sap == Sap.BAPI ? SapSimulator.instance().totalCalls() : odataPeer.requests().size();
  }

  /** Creates that reached SAP so far. */
  int sapCreates() {
    return sap == Sap.BAPI ? SapSimulator.instance().callCount("BAPI_CUSTOMER_CREATEFROMDATA1")
        : (int) odataPeer.requests().stream().filter(r -> r.matches("POST /?A_BusinessPartner")).count();
  }

  Agent agent() {
    return agent;
  }

  void stopAgent() {
    agent.close();
  }

  URI url() {
    return relay.baseUrl();
  }

  String apiKey() {
    return apiKey;
  }

  /** A fresh one-time enrollment token of the stack's tenant. */
  String enrollmentToken() {
    return relay.admin().createEnrollmentToken(tenant, "default", Duration.ofHours(1));
  }

  @Override
  public void close() {
    if (agent != null) {
      agent.close();
    }
    if (relay != null) {
      relay.close();
    }
    if (odataPeer != null) {
      odataPeer.close();
    }
  }
}
