package io.ferry.e2e;

import io.ferry.agent.Agent;
import io.ferry.agent.AgentConfig;
import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.odata.ODataSettings;
import io.ferry.agent.sap.setup.SapBackends;
import io.ferry.agent.sap.setup.SapSettings;
import io.ferry.odatapeer.ODataPeer;
import io.ferry.relay.Relay;
import io.ferry.relay.admin.RelayAdmin;
import io.ferry.relay.config.RelayConfig;
import io.ferry.relay.store.StoreSettings;
import io.ferry.relay.tls.RelayTls;
import io.ferry.sapsim.SapSimulator;
import io.ferry.sqs.SqsSettings;
import io.ferry.testing.TestPostgres;
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

  /** How jobs reach the agent: its long polls to the relay, or SQS queues on an embedded ElasticMQ. */
  enum Dispatch { POLL, SQS }

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
  static final Duration SQS_LEASE = Duration.ofSeconds(6);
  private Dispatch dispatch = Dispatch.POLL;
  private SqsSettings sqs;
  private UnaryOperator<RelayConfig> relaySettings = UnaryOperator.identity();
  /** {@code sap.correlation-field}; null for the backend's default. */
  private String correlationField;
  /** Null: the embedded SQLite store; else the PostgreSQL database this stack made and drops on close. */
  private TestPostgres postgres;
  /** {@link #withODataService}'s name; null for none. */
  private String genericService;

  FerryStack(Path dir, Sap sap, Duration syncWindow, UnaryOperator<SapBackend> sapWrapper) {
    this.dir = dir;
    this.sap = sap;
    this.syncWindow = syncWindow;
    this.sapWrapper = sapWrapper;
  }

  FerryStack(Path dir, Sap sap) {
    this(dir, sap, Duration.ofSeconds(10), UnaryOperator.identity());
  }

  /** Jobs through SQS queues on the embedded ElasticMQ ({@link Dispatch#SQS}), or the agent's long polls. */
  FerryStack withDispatch(Dispatch d) {
    this.dispatch = d;
    this.sqs = d == Dispatch.SQS ? SqsServer.settings() : null;
    return this;
  }

  /** Jobs through SQS queues with these settings (another SQS-compatible server: LocalStack). */
  FerryStack withSqs(SqsSettings settings) {
    this.dispatch = Dispatch.SQS;
    this.sqs = settings;
    return this;
  }

  /** Changes the relay's configuration (lease, attempts) before it starts. */
  FerryStack withRelay(UnaryOperator<RelayConfig> settings) {
    this.relaySettings = settings;
    return this;
  }

  /** The queue settings relay and agent share in SQS mode; null in poll mode. */
  SqsSettings sqs() {
    return sqs;
  }

  String tenant() {
    return tenant;
  }

  /** The running relay's administration (more tenants, tokens). */
  RelayAdmin admin() {
    return relay.admin();
  }

  /** The relay serves HTTPS with this certificate. */
  FerryStack withRelayTls(RelayTls tls) {
    this.relayTls = tls;
    return this;
  }

  /** The relay keeps its store in a fresh PostgreSQL database (dropped on close) instead of SQLite. */
  FerryStack onPostgres() {
    if (postgres == null) {
      postgres = TestPostgres.create("e2e");
    }
    return this;
  }

  /** How long the relay holds a poll without jobs. */
  FerryStack withPollHold(Duration hold) {
    this.pollHold = hold;
    return this;
  }

  /** The agent's {@code sap.correlation-field} ({@code none}: off); by default the backend's default. */
  FerryStack withCorrelationField(String field) {
    this.correlationField = field;
    return this;
  }

  /**
   * The next create commits in SAP and then loses its answer: BAPI_TRANSACTION_COMMIT posts and the RFC
   * connection breaks; the OData POST is committed and answered 503.
   */
  void loseTheAnswerOfTheNextCreate() {
    if (sap == Sap.BAPI) {
      SapSimulator.instance().failAfterNextCallOf("BAPI_TRANSACTION_COMMIT", com.sap.conn.jco.JCoException.JCO_ERROR_COMMUNICATION);
    } else {
      odataPeer.failAfterNextCreate();
    }
  }

  /**
   * The agent also reaches an OData test server as the service {@code name} for generic requests
   * ({@code sap.odata.services.<name>.url}), whatever its backend.
   */
  FerryStack withODataService(String name) {
    this.genericService = name;
    return this;
  }

  /** The OData test server: the OData backend's, or the generic service's. */
  ODataPeer odataPeer() {
    return odataPeer;
  }

  /** Changes the agent's configuration (policy, TLS, proxy) before it enrolls and starts. */
  FerryStack withAgent(UnaryOperator<AgentConfig> settings) {
    this.agentSettings = settings;
    return this;
  }

  /** Starts the relay, creates a tenant with an API key, enrolls and starts the agent. */
  FerryStack start() throws Exception {
    try {
      return started();
    } catch (Exception | Error e) {
      close(); // whatever did start, and the PostgreSQL database, would otherwise outlive the test
      throw e;
    }
  }

  private FerryStack started() throws Exception {
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
    RelayConfig config = RelayConfig.defaults(dir.resolve("relay")).withHost("127.0.0.1").withPort(port)
        .withSyncWindow(syncWindow).withPollHold(pollHold).withTls(relayTls).toBuilder()
        .store(postgres == null ? StoreSettings.SQLITE : postgresSettings(postgres)).build();
    if (dispatch == Dispatch.SQS) {
      // A short lease (the jobs queue's visibility timeout): a message taken by a receive the stopping agent
      // abandoned comes back within seconds, and every slow job exercises the visibility extension.
      config = config.withDispatch(RelayConfig.Dispatch.sqs(sqs)).withLeaseDuration(SQS_LEASE);
    }
    relay = Relay.start(relaySettings.apply(config));
    port = relay.port(); // a restart comes back on the same port, as a real relay would
  }

  void stopRelay() {
    relay.close();
  }

  AgentConfig agentConfig() {
    AgentConfig config = AgentConfig.defaults(relay.baseUrl(), dir.resolve("agent"))
        .withPollTimeout(Duration.ofSeconds(15))
        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .withShutdownGrace(Duration.ofSeconds(10));
    if (dispatch == Dispatch.SQS) {
      config = config.withTransport(AgentConfig.Transport.sqs(sqs)).withLeaseRenewEvery(SQS_LEASE.dividedBy(3));
    }
    return agentSettings.apply(config);
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
    SapSettings settings;
    if (sap == Sap.BAPI) {
      settings = SIMULATED_SAP.withCorrelationField(correlationField);
    } else {
      settings = SapSettings.odata(peerLogon()).withCorrelationField(correlationField);
    }
    if (genericService != null) {
      ODataSettings logon = peerLogon();
      settings = settings.withODataServices(new io.ferry.agent.sap.odata.ODataServices(
          Map.of(genericService, logon.serviceUrl()), logon));
    }
    return settings;
  }

  private ODataSettings peerLogon() throws java.io.IOException {
    if (odataPeer == null) {
      odataPeer = ODataPeer.start(ODataPeer.Options.defaults().withCredentials("FERRY", "peer-secret-Xy71"));
    }
    return ODataSettings.basic(URI.create(odataPeer.url()), odataPeer.options().client(), "FERRY", "peer-secret-Xy71");
  }

  /** A backend of its own on the same SAP as the agent's, for looking at what SAP holds. */
  SapBackend sap() throws java.io.IOException {
    return SapBackends.open(sapSettings());
  }

  /** Function modules called (BAPI) or HTTP requests served (OData) so far: "did SAP see anything?" */
  int relayOpenStreams() {
    return relay.openAgentStreams();
  }

  static void await(java.util.function.BooleanSupplier condition, Duration timeout) {
    io.ferry.testing.Await.until("a condition of the stack", timeout, condition);
  }


  int sapCalls() {
    return sap == Sap.BAPI ? SapSimulator.instance().totalCalls() : odataPeer.requests().size();
  }

  /** The {@code traceparent} headers SAP Gateway received (OData only). */
  java.util.List<String> sapTraceparents() {
    return odataPeer.traceparents();
  }

  /** Sales orders SAP holds. */
  int sapSalesOrders() {
    return sap == Sap.BAPI ? SapSimulator.instance().salesOrderCount() : odataPeer.salesOrderCount();
  }

  /** Sets the customer's order block in SAP: its orders are refused from then on. */
  void blockOrders(String customer) {
    if (sap == Sap.BAPI) {
      SapSimulator.instance().blockOrders(customer);
    } else {
      odataPeer.blockOrders(customer);
    }
  }

  /** Creates that reached SAP so far. */
  int sapCreates() {
    return sap == Sap.BAPI ? SapSimulator.instance().callCount("BAPI_CUSTOMER_CREATEFROMDATA1")
        : (int) odataPeer.requests().stream().filter(r -> r.matches("POST /?A_BusinessPartner")).count();
  }

  /**
   * The name as SAP itself stores it (KNA1-NAME1 in the simulator, OrganizationBPName1 in the peer), not as
   * the agent maps it back: for checking the exact characters that arrived.
   */
  String sapName(String customerNumber) {
    if (sap == Sap.BAPI) {
      return SapSimulator.instance().customer(customerNumber).orElseThrow().get("NAME1");
    }
    String unpadded = customerNumber.replaceFirst("^0+(?=.)", "");
    return odataPeer.entity("A_BusinessPartner", customerNumber)
        .or(() -> odataPeer.entity("A_BusinessPartner", unpadded))
        .map(e -> String.valueOf(e.get("OrganizationBPName1"))).orElseThrow();
  }

  /**
   * Changes the customer in SAP past Ferry, as a clerk would (XD02 over RFC; a change in S/4 that moves the business
   * partner's last-change date and time over OData).
   */
  void changeDirectlyInSap(String customerNumber) {
    if (sap == Sap.BAPI) {
      SapSimulator.instance().changeCustomerDirectly(customerNumber, Map.of("ORT01", "Heidelberg"));
      return;
    }
    String unpadded = customerNumber.replaceFirst("^0+(?=.)", "");
    String key = odataPeer.entity("A_BusinessPartner", customerNumber).isPresent() ? customerNumber : unpadded;
    odataPeer.changePartnerDirectly(key, Map.of("SearchTerm1", "CHANGED"));
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

  /** A fresh API key with scope admin for the stack's tenant (what `ferry relay bootstrap` prints as the admin key). */
  String adminKey() {
    return relay.admin().createApiKey(tenant, java.util.Set.of(io.ferry.relay.auth.Scope.ADMIN), null).key();
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
      odataPeer = null;
    }
    if (postgres != null) {
      postgres.close();
      postgres = null;
    }
  }

  private static StoreSettings postgresSettings(TestPostgres db) {
    return StoreSettings.postgres(db.jdbcUrl(), db.user(), db.password());
  }
}
