package io.ferry.cli.command;

import io.ferry.agent.Agent;
import io.ferry.agent.AgentConfig;
import io.ferry.agent.changes.ChangeSettings;
import io.ferry.agent.policy.GenericGrants;
import io.ferry.agent.sap.setup.SapBackends;
import io.ferry.agent.sap.setup.SapSettings;
import io.ferry.agent.sap.odata.ODataServices;
import io.ferry.agent.sap.odata.ODataSettings;
import io.ferry.relay.Relay;
import io.ferry.relay.admin.RelayAdmin;
import io.ferry.relay.config.RelayConfig;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run a relay and an agent on this machine, the agent talking to a simulated SAP system.",
        "They are separate components talking HTTP over loopback, exactly as in production.",
        "Prints an API key and curl commands to try; Ctrl-C stops both cleanly."})
final class DemoCommand implements Callable<Integer> {

  static final String SAMPLE_CUSTOMER = "{\"externalId\":\"CRM-0001\",\"name\":\"Muster GmbH\",\"street\":\"Hauptstrasse\","
      + "\"houseNumber\":\"5\",\"postalCode\":\"69190\",\"city\":\"Walldorf\",\"country\":\"DE\",\"language\":\"de\","
      + "\"currency\":\"EUR\",\"email\":\"info@muster.example\","
      + "\"salesArea\":{\"salesOrganization\":\"1000\",\"distributionChannel\":\"10\",\"division\":\"00\"},\"companyCode\":\"1000\"}";
  /** An order for the demo customer, of materials the simulated systems' price lists know. */
  static String sampleOrder(String soldToParty) {
    return "{\"salesOrderType\":\"OR\",\"salesArea\":{\"salesOrganization\":\"1000\",\"distributionChannel\":\"10\","
        + "\"division\":\"00\"},\"soldToParty\":\"" + soldToParty + "\",\"purchaseOrderByCustomer\":\"PO-0001\","
        + "\"requestedDeliveryDate\":\"2027-01-31\",\"items\":[{\"material\":\"FERRY-100\",\"requestedQuantity\":2,"
        + "\"unit\":\"PC\",\"plant\":\"1000\"},{\"material\":\"FERRY-200\",\"requestedQuantity\":3,\"unit\":\"PC\"}]}";
  }

  static final String SAMPLE_CHANGE = "{\"street\":\"Unter den Linden\",\"houseNumber\":\"1\",\"postalCode\":\"10117\",\"city\":\"Berlin\"}";
  static final String FIRST_CUSTOMER_NUMBER = "0000100001";
  static final String SIMULATOR_FILE = "sap-simulator.json";
  static final String ODATA_PEER_FILE = "odata-peer.dat";
  /** How often the demo's agent looks for customers created or changed in SAP (a real agent: 60 s by default). */
  static final Duration CHANGE_INTERVAL = Duration.ofSeconds(5);
  /** The function modules the BAPI demo allows, each one the simulator serves with SAP's interface. */
  static final Set<String> DEMO_FUNCTIONS = Set.of("BAPI_COMPANYCODE_GETLIST", "BAPI_CUSTOMER_GETDETAIL2",
      "RFC_READ_TABLE");
  /** The agent's name of the OData demo's service, as engines address it: {@code /v1/odata/API_BUSINESS_PARTNER/…}. */
  static final String DEMO_SERVICE = "API_BUSINESS_PARTNER";
  /** RFC_READ_TABLE on KNA1: number and name of the customers in Germany, fields joined by '|'. */
  static final String SAMPLE_READ_TABLE = "{\"importing\":{\"QUERY_TABLE\":\"KNA1\",\"DELIMITER\":\"|\"},"
      + "\"tables\":{\"OPTIONS\":[{\"TEXT\":\"LAND1 EQ '\\''DE'\\''\"}],"
      + "\"FIELDS\":[{\"FIELDNAME\":\"KUNNR\"},{\"FIELDNAME\":\"NAME1\"}]}}";
  /** A webhook subscription to a local receiver: the demo lets webhooks reach this machine. */
  static final String SAMPLE_SUBSCRIPTION = "{\"events\":[\"customer.created\",\"customer.changed\"],"
      + "\"url\":\"http://127.0.0.1:9999/ferry-changes\"}";
  /** A business partner (an organisation) with its address, for the OData demo's deep insert. */
  static final String SAMPLE_PARTNER = "{\"BusinessPartnerCategory\":\"2\",\"OrganizationBPName1\":\"Ferry Demo Partner\","
      + "\"to_BusinessPartnerAddress\":{\"results\":[{\"Country\":\"DE\",\"CityName\":\"Walldorf\","
      + "\"PostalCode\":\"69190\",\"StreetName\":\"Dietmar-Hopp-Allee\",\"Language\":\"DE\"}]}}";

  @Spec CommandSpec spec;

  @Option(names = "--port", description = "Port of the relay on 127.0.0.1. Default: ${DEFAULT-VALUE}.", defaultValue = "8080")
  int port;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where relay and agent keep their files. Default: ~/.ferry/demo.")
  Path dataDir;

  @Option(names = "--sap", paramLabel = "bapi|odata", defaultValue = "bapi",
      description = {"Which SAP backend the agent uses: bapi (RFC through the JCo API, against Ferry's SAP simulator) or",
          "odata (S/4HANA's API_BUSINESS_PARTNER, against Ferry's OData test server). Default: ${DEFAULT-VALUE}."})
  String sap;

  @Option(names = {"-v", "--verbose"}, description = "Show the relay's and the agent's log (INFO) and stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = dataDir != null ? dataDir : Defaults.demoDataDir();
    if (!verbose) {
      Logging.quiet();
    }
    out.println("Starting the Ferry demo (data in " + dir + ") ...");
    out.flush();

    // A local trial: callbacks and webhooks may reach this machine (a relay's default is public addresses only).
    RelayConfig relayConfig = RelayConfig.defaults(dir.resolve("relay")).withHost("127.0.0.1").withPort(port)
        .toBuilder().callbackLoopback(true).build();
    if (!sap.equals("bapi") && !sap.equals("odata")) {
      throw new UserFacingException(ExitCode.USAGE, "--sap must be bapi or odata, was '" + sap + "'");
    }
    Relay relay = Ports.startRelay(relayConfig);
    Agent agent = null;
    ODataDemoPeer peer = null;
    try {
      RelayAdmin admin = relay.admin();
      // createTenant is idempotent on the name: a second demo on this directory finds its tenant.
      String tenant = admin.createTenant("demo");
      DemoKeys keys = DemoKeys.reuseOrCreate(dir, admin, tenant);

      URI url = relay.baseUrl();
      Path agentDir = dir.resolve("agent");
      if (!enrolled(agentDir, admin, tenant)) {
        String token = admin.createEnrollmentToken(tenant, "default", Duration.ofHours(1));
        Agent.enroll(url, token, agentDir, "demo-agent");
      }
      SapSettings sapSettings;
      String sapDescription;
      if (sap.equals("odata")) {
        String password = randomSecret();
        // Its data in the data directory, as the BAPI demo's simulator: customers survive a restart.
        peer = ODataDemoPeer.start("FERRY", password, 100001, dir.resolve(ODATA_PEER_FILE));
        ODataSettings logon = ODataSettings.basic(URI.create(peer.url()), peer.client(), "FERRY", password)
            .withGrouping("0001");
        // The same service once more under the name engines use: /v1/odata/API_BUSINESS_PARTNER/…
        sapSettings = SapSettings.odata(logon).withODataServices(
            new ODataServices(Map.of(DEMO_SERVICE, URI.create(peer.url())), logon));
        sapDescription = "a simulated S/4HANA system over OData\n(API_BUSINESS_PARTNER at " + peer.url() + "; sales area 1000/10/00, company code 1000).";
      } else {
        sapSettings = simulatedSap(dir.resolve(SIMULATOR_FILE));
        sapDescription = "a simulated SAP system over RFC (JCo)\n(sales area 1000/10/00, company code 1000, reference customer 0000001000).";
      }
      // The demo's agent runs every action, sales orders too, and lets engines call a few read-only function
      // modules generically; a real agent does so once its administrator names them in its policy.
      // It also watches SAP for customers created or changed, every 5 s, for the change feed.
      AgentConfig agentConfig = AgentConfig.defaults(url, agentDir)
          .withPolicy(io.ferry.agent.policy.AgentPolicy.defaults().withActions(io.ferry.protocol.Action.values())
              .withGeneric(sap.equals("odata") ? ODATA_GRANTS : FUNCTION_GRANTS))
          .withChanges(ChangeSettings.OFF.withCustomers(true).withInterval(CHANGE_INTERVAL));
      agent = Agent.start(agentConfig, SapBackends.open(sapSettings));
      if (!agent.awaitConnected(Duration.ofSeconds(15))) {
        throw new UserFacingException(ExitCode.FAILED, "the demo agent could not reach the relay at " + url);
      }
      printWelcome(out, url, keys.apiKey(), keys.adminKey(), sapDescription, sap.equals("odata"),
          DemoKeys.sampleCustomer(url, keys.apiKey(), peer != null ? peer::nextCustomerNumber
              : () -> DemoKeys.simulatorNextNumber(dir.resolve(SIMULATOR_FILE), FIRST_CUSTOMER_NUMBER)));
    } catch (RuntimeException | Error | java.io.IOException e) {
      if (agent != null) {
        agent.close();
      }
      relay.close();
      if (peer != null) {
        peer.close();
      }
      throw e;
    }
    Agent running = agent;
    ODataDemoPeer runningPeer = peer;
    Shutdown.awaitSignal(() -> {
      out.println();
      out.println("Stopping the Ferry demo ...");
      out.flush();
      running.close();
      relay.close();
      if (runningPeer != null) {
        runningPeer.close();
      }
      out.println("Stopped.");
      out.flush();
    });
    return ExitCode.OK;
  }

  /** The function modules the BAPI demo lets engines call: read-only, so each is safe to repeat. */
  static final GenericGrants FUNCTION_GRANTS = new GenericGrants(DEMO_FUNCTIONS, DEMO_FUNCTIONS, List.of());
  /** What the OData demo lets engines reach of its test server's API_BUSINESS_PARTNER: read and create partners. */
  static final GenericGrants ODATA_GRANTS = new GenericGrants(Set.of(), Set.of(),
      List.of(new GenericGrants.Resource(DEMO_SERVICE, "A_BusinessPartner", Set.of("GET", "POST"))));

  /**
   * The demo's SAP: jco-mock's simulator, reached through the ordinary JCo destination settings, keeping
   * its customers in {@code dataFile} so they survive a restart of the demo. The password is made up on
   * each start; the simulator accepts any for its demo user.
   */
  static SapSettings simulatedSap(Path dataFile) {
    return new SapSettings("bapi", "FERRY_DEMO",
        Map.of("jco.client.ashost", "sap-simulator.local",
            "jco.client.sysnr", "00",
            "jco.client.client", "100",
            "jco.client.user", "FERRY",
            SapSettings.PASSWORD_KEY, randomSecret(),
            "jco.client.lang", "EN",
            "jco.mock.data_file", dataFile.toAbsolutePath().toString()),
        Map.of("1000/10/00", "1000"));
  }

  /** Whether the agent in {@code agentDir} belongs to the tenant and may still work, so it need not enroll again. */
  private static boolean enrolled(Path agentDir, RelayAdmin admin, String tenant) throws java.io.IOException {
    if (!io.ferry.agent.AgentCredentials.exist(agentDir)) {
      return false;
    }
    io.ferry.agent.AgentCredentials c = io.ferry.agent.AgentCredentials.load(agentDir);
    return tenant.equals(c.tenantId()) && admin.agents(tenant).stream()
        .anyMatch(a -> a.id().equals(c.agentId()) && a.disabledAt() == null);
  }

  private static String randomSecret() {
    byte[] secret = new byte[12];
    new SecureRandom().nextBytes(secret);
    return HexFormat.of().formatHex(secret);
  }

  private static void printWelcome(PrintWriter out, URI url, String apiKey, String adminKey, String sapDescription,
      boolean odata, DemoKeys.Sample sample) {
    String number = sample.number();
    String key = "-H 'X-API-Key: " + apiKey + "'";
    out.println();
    out.println("Ferry demo is running: a relay on " + url + " and an agent talking to " + sapDescription);
    out.println();
    out.println("FERRY_URL=" + url);
    out.println("FERRY_API_KEY=" + apiKey);
    out.println("FERRY_ADMIN_KEY=" + adminKey + "   (scope admin: the web console and ferry admin)");
    out.println();
    // The upsert route, not POST /v1/customers: pasted twice (or on a second demo over the same data) it
    // changes the customer instead of creating another, so the number printed below stays true.
    out.println(sample.exists()
        ? "# Create or update customer CRM-0001 in SAP (SAP has it already as " + number + ": 200, Ferry-Upsert: updated):"
        : "# Create customer CRM-0001 in SAP (201 Created with its customerNumber, " + number
            + "; sent again: 200, Ferry-Upsert: updated):");
    out.println("curl -sS -i -X PUT " + url + "/v1/customers/by-external-id/CRM-0001 " + key
        + " -H 'Content-Type: application/json' -d '" + SAMPLE_CUSTOMER + "'");
    out.println();
    out.println("# Read it back:");
    out.println("curl -sS -i " + url + "/v1/customers/" + number + " " + key);
    out.println();
    out.println("# Change its address (a JSON merge patch; answers 200 with the changed customer and a new ETag):");
    out.println("curl -sS -i -X PATCH " + url + "/v1/customers/" + number + " " + key
        + " -H 'Content-Type: application/merge-patch+json' -d '" + SAMPLE_CHANGE + "'");
    out.println();
    out.println("# Order 2 demo widgets and 3 cables for that customer (201 Created with the order number SAP gave it");
    out.println("# and the net amount it priced; pasted again, the Idempotency-Key answers the same order):");
    out.println("curl -sS -i -X POST " + url + "/v1/sales-orders " + key
        + " -H 'Content-Type: application/json' -H 'Idempotency-Key: demo-order-CRM-0001' -d '"
        + sampleOrder(number) + "'");
    out.println();
    if (odata) {
      out.println("# Beyond the curated objects, the OData resources the agent allows (policy.odata.resources):");
      out.println("# two business partners, then a new one with its address in one deep insert:");
      out.println("curl -sS -i " + key + " '" + url + "/v1/odata/" + DEMO_SERVICE
          + "/A_BusinessPartner?$top=2&$select=BusinessPartner,BusinessPartnerFullName'");
      out.println("curl -sS -i -X POST " + url + "/v1/odata/" + DEMO_SERVICE + "/A_BusinessPartner " + key
          + " -H 'Content-Type: application/json' -H 'Idempotency-Key: demo-partner-1' -d '" + SAMPLE_PARTNER + "'");
    } else {
      out.println("# Beyond the curated objects, the function modules the agent allows (policy.functions),");
      out.println("# then two calls: the company codes, and customers of DE read from table KNA1:");
      out.println("curl -sS -i " + url + "/v1/functions " + key);
      out.println("curl -sS -i -X POST " + url + "/v1/functions/BAPI_COMPANYCODE_GETLIST " + key
          + " -H 'Content-Type: application/json' -d '{}'");
      out.println("curl -sS -i -X POST " + url + "/v1/functions/RFC_READ_TABLE " + key
          + " -H 'Content-Type: application/json' -d '" + SAMPLE_READ_TABLE + "'");
    }
    out.println();
    out.println("# Customers created or changed in SAP (by Ferry or anyone), found by the agent every 5 s:");
    out.println("curl -sS -i '" + url + "/v1/customer-changes?top=10' " + key);
    out.println("# ... or have each change POSTed, signed, to a URL of yours (any HTTP server on port 9999 here):");
    out.println("curl -sS -i -X POST " + url + "/v1/subscriptions " + key + " -H 'Content-Type: application/json' -d '"
        + SAMPLE_SUBSCRIPTION + "'");
    out.println();
    out.println("# The web console: open " + url + "/console and sign in with FERRY_ADMIN_KEY;");
    out.println("# or from a shell: FERRY_ADMIN_KEY=… ferry admin jobs list --relay " + url);
    out.println();
    out.println("Press Ctrl-C to stop.");
    out.flush();
  }
}
