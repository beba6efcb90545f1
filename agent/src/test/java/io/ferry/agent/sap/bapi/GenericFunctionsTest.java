package io.ferry.agent.sap.bapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sap.conn.jco.JCoException;
import io.ferry.agent.function.FunctionJobs;
import io.ferry.agent.handler.JobRefused;
import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.policy.GenericGrants;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.resilience.Resilience;
import io.ferry.agent.sap.resilience.ResilienceSettings;
import io.ferry.protocol.Action;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import io.ferry.sapsim.SapSimulator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generic function calls end to end on the agent's JCo path against the simulated SAP: function.describe and
 * function.call through {@link FunctionJobs} on {@link BapiFunctions}, with the agent's policy.
 */
class GenericFunctionsTest {

  private static final String CREATE = "BAPI_CUSTOMER_CREATEFROMDATA1";
  private static final String READ_TABLE = "RFC_READ_TABLE";
  private static final String COMPANY_CODES = "BAPI_COMPANYCODE_GETLIST";
  private static final String ECHO = "Z_FERRY_ECHO_TYPES";

  private final SapSimulator sim = SapSimulator.instance();
  private final GenericGrants grants = new GenericGrants(Set.of(CREATE, READ_TABLE, COMPANY_CODES, ECHO),
      Set.of(READ_TABLE, COMPANY_CODES, ECHO), List.of());
  private final AgentPolicy policy = AgentPolicy.defaults().withGeneric(grants);

  @BeforeAll
  static void destinations() {
    SimDestinations.install();
  }

  @BeforeEach
  void resetSap() {
    sim.reset();
  }

  private FunctionJobs jobs(SapCalls layers) {
    BapiBackend backend = new BapiBackend(new BapiSettings(SimDestinations.SIM, Map.of("1000/10/00", "1000")),
        policy.calls(null));
    return new FunctionJobs(backend, layers, policy.calls(null), () -> "0123456789abcdef");
  }

  private FunctionJobs jobs() {
    return jobs(SapCalls.DIRECT);
  }

  static JobEnvelope job(Action action, String payload, int attempt) {
    try {
      return JobEnvelope.withPayload(Protocol.VERSION, "job-" + attempt, action, attempt, Instant.now().plusSeconds(60),
          Instant.now().plusSeconds(600), null, (ObjectNode) Protocol.json().readTree(payload.replace('\'', '"')));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private JsonNode call(String payload) throws Exception {
    return call(jobs(), payload, false);
  }

  private static JsonNode call(FunctionJobs jobs, String payload, boolean again) throws Exception {
    JobResult r = jobs.run(job(Action.FUNCTION_CALL, payload, again ? 2 : 1), again);
    assertThat(r.outcome()).isEqualTo(JobResult.Outcome.SUCCEEDED);
    return r.output();
  }

  private JsonNode describe(String function) throws Exception {
    JobResult r = jobs().run(job(Action.FUNCTION_DESCRIBE, "{'function':'" + function + "'}", 1), false);
    assertThat(r.outcome()).isEqualTo(JobResult.Outcome.SUCCEEDED);
    return r.output();
  }

  // ---- describe ----

  @Test
  void theCompanyCodeListIsDescribedAsJsonSchemaFromSapsRepository() throws Exception {
    JsonNode i = describe("bapi_companycode_getlist");

    assertThat(i.path("function").asText()).isEqualTo(COMPANY_CODES);
    assertThat(i.path("repeatable").asBoolean()).isTrue();
    assertThat(i.path("fingerprint").asText()).isEqualTo("0123456789abcdef");
    JsonNode request = i.path("request");
    assertThat(request.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(request.path("additionalProperties").asBoolean(true)).isFalse();
    assertThat(request.path("properties").path("importing").path("properties").size()).isZero();
    assertThat(request.path("properties").path("commit").path("type").asText()).isEqualTo("boolean");
    JsonNode list = request.path("properties").path("tables").path("properties").path("COMPANYCODE_LIST");
    assertThat(list.path("type").asText()).isEqualTo("array");
    assertThat(list.path("x-sap-structure").asText()).isEqualTo("BAPI0002_1");
    JsonNode code = list.path("items").path("properties").path("COMP_CODE");
    assertThat(code.path("type").asText()).isEqualTo("string");
    assertThat(code.path("maxLength").asInt()).isEqualTo(4);
    assertThat(code.path("x-sap-type").asText()).isEqualTo("CHAR");
    assertThat(code.path("x-sap-length").asInt()).isEqualTo(4);
    assertThat(code.path("description").asText()).isEqualTo("Company Code");
    assertThat(list.path("items").path("additionalProperties").asBoolean(true)).isFalse();
    JsonNode ret = i.path("response").path("properties").path("exporting").path("properties").path("RETURN");
    assertThat(ret.path("type").asText()).isEqualTo("object");
    assertThat(ret.path("additionalProperties").asBoolean(true)).isFalse();
    assertThat(ret.path("properties").has("MESSAGE")).isTrue();
    assertThat(i.path("response").path("properties").has("messages")).isTrue();
  }

  @Test
  void readTableIsDescribedWithItsRequiredImportTablesAndExceptions() throws Exception {
    JsonNode i = describe(READ_TABLE);

    JsonNode importing = i.path("request").path("properties").path("importing");
    assertThat(importing.path("required")).extracting(JsonNode::asText).containsExactly("QUERY_TABLE");
    assertThat(i.path("request").path("required")).extracting(JsonNode::asText).containsExactly("importing");
    JsonNode table = importing.path("properties").path("QUERY_TABLE");
    assertThat(table.path("maxLength").asInt()).isEqualTo(30);
    assertThat(table.path("description").asText()).isEqualTo("Table Name");
    JsonNode rowCount = importing.path("properties").path("ROWCOUNT");
    assertThat(rowCount.path("type").asText()).isEqualTo("integer");
    assertThat(rowCount.path("maximum").asLong()).isEqualTo(Integer.MAX_VALUE);
    assertThat(rowCount.path("x-sap-default").asText()).isEqualTo("0");
    assertThat(table.has("x-sap-default")).isFalse();
    JsonNode tables = i.path("request").path("properties").path("tables").path("properties");
    assertThat(tables.path("OPTIONS").path("items").path("properties").path("TEXT").path("maxLength").asInt())
        .isEqualTo(72);
    JsonNode offset = tables.path("FIELDS").path("items").path("properties").path("OFFSET");
    assertThat(offset.path("pattern").asText()).isEqualTo("^[0-9]*$");
    assertThat(offset.path("maxLength").asInt()).isEqualTo(6);
    assertThat(tables.path("DATA").path("items").path("properties").path("WA").path("maxLength").asInt())
        .isEqualTo(512);
    assertThat(i.path("exceptions")).extracting(JsonNode::asText).containsExactlyInAnyOrder("TABLE_NOT_AVAILABLE",
        "TABLE_WITHOUT_DATA", "OPTION_NOT_VALID", "FIELD_NOT_VALID", "NOT_AUTHORIZED", "DATA_BUFFER_EXCEEDED");
  }

  @Test
  void everyAbapTypeHasItsJsonSchema() throws Exception {
    JsonNode all = describe(ECHO).path("request").path("properties").path("importing").path("properties")
        .path("IS_ALL").path("properties");

    assertThat(all.path("NUMC8").path("pattern").asText()).isEqualTo("^[0-9]*$");
    assertThat(all.path("INT1").path("minimum").asInt()).isZero();
    assertThat(all.path("INT1").path("maximum").asInt()).isEqualTo(255);
    assertThat(all.path("INT2").path("minimum").asInt()).isEqualTo(-32768);
    assertThat(all.path("AMOUNT").path("type").asText()).isEqualTo("string");
    assertThat(all.path("AMOUNT").path("x-sap-decimals").asInt()).isEqualTo(2);
    assertThat(all.path("AMOUNT").path("pattern").asText()).isEqualTo("^-?[0-9]{1,13}(\\.[0-9]{1,2})?$");
    assertThat(all.path("FLOAT").path("type").asText()).isEqualTo("number");
    assertThat(all.path("DATE").path("format").asText()).isEqualTo("date");
    assertThat(all.path("DATE").path("type")).extracting(JsonNode::asText).containsExactly("string", "null");
    assertThat(all.path("TIME").path("format").asText()).isEqualTo("time");
    assertThat(all.path("RAW16").path("contentEncoding").asText()).isEqualTo("base64");
    assertThat(all.path("BYTES").path("contentEncoding").asText()).isEqualTo("base64");
    assertThat(all.path("TEXT").has("maxLength")).isFalse();
  }

  @Test
  void aFunctionSapDoesNotHaveIsNotFound() {
    GenericGrants withMissing = new GenericGrants(Set.of("Z_NOT_THERE"), Set.of(), List.of());
    AgentPolicy p = AgentPolicy.defaults().withGeneric(withMissing);
    FunctionJobs jobs = new FunctionJobs(new BapiBackend(new BapiSettings(SimDestinations.SIM, Map.of()), p.calls(null)),
        SapCalls.DIRECT, p.calls(null), () -> null);

    SapException e = catchThrowableOfType(SapException.class,
        () -> jobs.run(job(Action.FUNCTION_DESCRIBE, "{'function':'Z_NOT_THERE'}", 1), false));

    assertThat(e.kind()).isEqualTo(SapException.Kind.NOT_FOUND);
    assertThat(e.getMessage()).contains("has no function module Z_NOT_THERE");
  }

  // ---- calls ----

  @Test
  void theCompanyCodesComeBackAsRows() throws Exception {
    JsonNode out = call("{'function':'BAPI_COMPANYCODE_GETLIST'}");

    JsonNode rows = out.path("tables").path("COMPANYCODE_LIST");
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).path("COMP_CODE").asText()).isEqualTo("1000");
    assertThat(rows.get(0).path("COMP_NAME").asText()).isEqualTo("Ferry Demo AG");
    assertThat(rows.get(1).path("COMP_CODE").asText()).isEqualTo("2000");
    assertThat(out.path("exporting").path("RETURN").path("TYPE").asText()).isEmpty();
    assertThat(out.has("messages")).isFalse();
  }

  @Test
  void readTableOnKna1ReturnsTheRowsTheWhereClauseSelects() throws Exception {
    String dupont = created("Dupont SARL", "FR", "Paris", "75001");
    created("Muster GmbH", "DE", "Berlin", "10115");

    JsonNode out = call("{'function':'RFC_READ_TABLE','importing':{'QUERY_TABLE':'KNA1','DELIMITER':'|'},"
        + "'tables':{'OPTIONS':[{'TEXT':'LAND1 = \\u0027FR\\u0027'}],'FIELDS':[{'FIELDNAME':'KUNNR'},{'FIELDNAME':'NAME1'},"
        + "{'FIELDNAME':'ORT01'}]}}");

    assertThat(out.path("tables").path("DATA")).extracting(r -> r.path("WA").asText())
        .containsExactly(dupont + "|Dupont SARL                        |Paris");
    JsonNode fields = out.path("tables").path("FIELDS");
    assertThat(fields).extracting(f -> f.path("FIELDNAME").asText()).containsExactly("KUNNR", "NAME1", "ORT01");
    assertThat(fields.get(1).path("OFFSET").asText()).isEqualTo("000011"); // NUMC keeps its zeros
    assertThat(fields.get(1).path("LENGTH").asText()).isEqualTo("000035");
  }

  /** Creates a customer generically, with commit, and answers its number. */
  private String created(String name, String country, String city, String postalCode) throws Exception {
    JsonNode out = call("{'function':'BAPI_CUSTOMER_CREATEFROMDATA1','commit':true,'importing':{"
        + "'PI_COMPANYDATA':{'NAME':'" + name + "','STREET':'Rue 1','POSTL_COD1':'" + postalCode + "','CITY':'" + city
        + "','COUNTRY':'" + country + "','LANGU':'E','CURRENCY':'EUR'},"
        + "'PI_COPYREFERENCE':{'SALESORG':'1000','DISTR_CHAN':'10','DIVISION':'00','REF_CUSTMR':'0000001000'}}}");
    return out.path("exporting").path("CUSTOMERNO").asText();
  }

  @Test
  void everyAbapTypeTravelsBothWaysThroughTheEcho() throws Exception {
    byte[] raw = new byte[16];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) (i * 17 - 128);
    }
    String raw64 = Base64.getEncoder().encodeToString(raw);
    String bytes64 = Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 0xff});
    String all = "{'CHAR10':'Grüße','NUMC8':'1234','TEXT':'any length at all','INT4':-2147483648,'INT2':-32768,"
        + "'INT1':255,'AMOUNT':'12.5','QUANTITY':1.234,'FLOAT':3.25,'DATE':'2026-12-07','TIME':'13:45:07',"
        + "'RAW16':'" + raw64 + "','BYTES':'" + bytes64 + "'}";

    JsonNode out = call("{'function':'Z_FERRY_ECHO_TYPES','importing':{'IS_ALL':" + all + ",'IV_CHAR':'abc',"
        + "'IV_INT':7,'IV_AMOUNT':99999999999.99},'changing':{'CV_COUNTER':41},'tables':{'IT_ROWS':[" + all + "]}}");

    JsonNode echoed = out.path("exporting").path("ES_ALL");
    assertThat(echoed.path("CHAR10").asText()).isEqualTo("Grüße");
    assertThat(echoed.path("NUMC8").asText()).isEqualTo("00001234");
    assertThat(echoed.path("TEXT").asText()).isEqualTo("any length at all");
    assertThat(echoed.path("INT4").isInt()).isTrue();
    assertThat(echoed.path("INT4").asLong()).isEqualTo(Integer.MIN_VALUE);
    assertThat(echoed.path("INT2").asInt()).isEqualTo(-32768);
    assertThat(echoed.path("INT1").asInt()).isEqualTo(255);
    assertThat(echoed.path("AMOUNT").asText()).isEqualTo("12.50");
    assertThat(echoed.path("QUANTITY").asText()).isEqualTo("1.234");
    assertThat(echoed.path("FLOAT").isNumber()).isTrue();
    assertThat(echoed.path("FLOAT").asDouble()).isEqualTo(3.25);
    assertThat(echoed.path("DATE").asText()).isEqualTo("2026-12-07");
    assertThat(echoed.path("TIME").asText()).isEqualTo("13:45:07");
    assertThat(echoed.path("RAW16").asText()).isEqualTo(raw64);
    assertThat(echoed.path("BYTES").asText()).isEqualTo(bytes64);
    assertThat(out.path("tables").path("ET_ROWS").get(0)).isEqualTo(echoed);
    assertThat(out.path("exporting").path("EV_AMOUNT").asText()).isEqualTo("99999999999.99");
    assertThat(out.path("exporting").path("EV_DATE").isNull()).as("SAP's initial date").isTrue();
    assertThat(out.path("exporting").path("EV_OPTIONAL").asText()).isEqualTo("FERRY");
    assertThat(out.path("changing").path("CV_COUNTER").asInt()).isEqualTo(42);
  }

  // ---- refusals ----

  @Test
  void parametersThatDoNotFitAreRefusedNamingTheirPathBeforeSapSeesTheCall() {
    String tooLong = "T".repeat(31);
    JobRefused e = catchThrowableOfType(JobRefused.class, () -> jobs().run(job(Action.FUNCTION_CALL,
        "{'function':'RFC_READ_TABLE','importing':{'QUERY_TABLE':'" + tooLong + "','ROWCOUNT':'ten','NOPE':'x'},"
            + "'tables':{'OPTIONS':[{'TEXT':'A'},{'TEXT':'B'},{'TEXT':'" + "x".repeat(73) + "'}],'FIELDS':{}}}", 1),
        false));

    assertThat(e.error().kind()).isEqualTo(JobError.Kind.INVALID_REQUEST);
    assertThat(e.getMessage()).contains(
        "importing.QUERY_TABLE: expected at most 30 characters (CHAR 30), was 31",
        "importing.ROWCOUNT: expected an integer (INT), was a string",
        "importing.NOPE: there is no import parameter NOPE",
        "tables.OPTIONS[2].TEXT: expected at most 72 characters",
        "tables.FIELDS: expected an array of rows");
    assertThat(e.getMessage()).doesNotContain(tooLong);
    assertThat(sim.callCount(READ_TABLE)).isZero();
  }

  @Test
  void aMissingRequiredImportAndWrongValuesInsideStructuresAreRefused() {
    JobRefused e = catchThrowableOfType(JobRefused.class, () -> jobs().run(job(Action.FUNCTION_CALL,
        "{'function':'Z_FERRY_ECHO_TYPES','importing':{'IS_ALL':{'INT1':256,'DATE':'2026-02-30','AMOUNT':'1.234',"
            + "'NUMC8':'12a','RAW16':'" + Base64.getEncoder().encodeToString(new byte[17]) + "'},'IV_CHAR':'x'}}", 1),
        false));

    assertThat(e.getMessage()).contains(
        "importing.IS_ALL.INT1: expected an integer from 0 to 255",
        "importing.IS_ALL.DATE: expected a date that exists",
        "importing.IS_ALL.AMOUNT: expected at most 2 decimal places",
        "importing.IS_ALL.NUMC8: expected a string of digits",
        "importing.IS_ALL.RAW16: expected at most 16 bytes",
        "importing.IV_INT: is required",
        "importing.IV_AMOUNT: is required");
    assertThat(sim.totalCalls()).isZero();
  }

  @Test
  void aPayloadMemberThatIsNoPartOfACallIsRefused() {
    JobRefused e = catchThrowableOfType(JobRefused.class, () -> jobs().run(job(Action.FUNCTION_CALL,
        "{'function':'RFC_READ_TABLE','importng':{'QUERY_TABLE':'KNA1'}}", 1), false));

    assertThat(e.getMessage()).startsWith("importng: a call has no member importng");
  }

  @Test
  void aFunctionOutsidePolicyFunctionsIsRefusedOnTheAgentWithNothingSentToSap() {
    for (Action action : List.of(Action.FUNCTION_CALL, Action.FUNCTION_DESCRIBE)) {
      SapException e = catchThrowableOfType(SapException.class, () -> jobs().run(job(action,
          "{'function':'BAPI_CUSTOMER_GETLIST'}", 1), false));

      assertThat(e.kind()).isEqualTo(SapException.Kind.FORBIDDEN);
      assertThat(e.code()).isEqualTo(AgentPolicy.FUNCTION_FORBIDDEN);
      assertThat(e.getMessage()).isEqualTo("forbidden by agent policy: function module BAPI_CUSTOMER_GETLIST is not "
          + "in this agent's policy.functions");
    }
    assertThat(sim.totalCalls()).isZero();
  }

  @Test
  void theBackendAsksPolicyFunctionsItselfToo() {
    BapiFunctions port = new BapiFunctions(SimDestinations.SIM, AgentPolicy.defaults().calls(null));

    SapException e = catchThrowableOfType(SapException.class, () -> port.describe(READ_TABLE));

    assertThat(e.kind()).isEqualTo(SapException.Kind.FORBIDDEN);
    assertThat(sim.totalCalls()).isZero();
  }

  @Test
  void anOdataAgentCallsNoFunctionModules() {
    SapBackend odata = () -> "odata";
    FunctionJobs jobs = new FunctionJobs(odata, SapCalls.DIRECT, policy.calls(null), () -> null);

    SapException e = catchThrowableOfType(SapException.class, () -> jobs.run(job(Action.FUNCTION_DESCRIBE,
        "{'function':'RFC_READ_TABLE'}", 1), false));

    assertThat(e.kind()).isEqualTo(SapException.Kind.CONFIGURATION);
    assertThat(e.getMessage()).startsWith("the odata backend calls no function modules;");
  }

  // ---- SAP's answers: ABAP exceptions, RETURN, commit and rollback ----

  @Test
  void anAbapExceptionFailsTheCallWithItsKey() {
    SapException e = catchThrowableOfType(SapException.class, () -> jobs().run(job(Action.FUNCTION_CALL,
        "{'function':'RFC_READ_TABLE','importing':{'QUERY_TABLE':'ZNOPE'}}", 1), false));

    assertThat(e.kind()).isEqualTo(SapException.Kind.BUSINESS);
    assertThat(e.abapException()).contains("TABLE_NOT_AVAILABLE");
    assertThat(e.getMessage()).startsWith("function module RFC_READ_TABLE raised the ABAP exception TABLE_NOT_AVAILABLE");
  }

  @Test
  void aBapiThatFailsIsRolledBackAndReportsSapsMessages() {
    SapException e = catchThrowableOfType(SapException.class, () -> jobs().run(job(Action.FUNCTION_CALL,
        "{'function':'BAPI_CUSTOMER_CREATEFROMDATA1','commit':true,'importing':{'PI_COMPANYDATA':{'NAME':'No City',"
            + "'STREET':'Rue 1','POSTL_COD1':'75001','COUNTRY':'FR','LANGU':'E','CURRENCY':'EUR'},"
            + "'PI_COPYREFERENCE':{'SALESORG':'1000','DISTR_CHAN':'10','DIVISION':'00','REF_CUSTMR':'0000001000'}}}",
        1), false));

    assertThat(e.kind()).isEqualTo(SapException.Kind.BUSINESS);
    assertThat(e.sapMessages()).anySatisfy(m -> {
      assertThat(m.type()).isEqualTo("E");
      assertThat(m.message()).contains("CITY");
    });
    assertThat(sim.callCount("BAPI_TRANSACTION_ROLLBACK")).isEqualTo(1);
    assertThat(sim.callCount("BAPI_TRANSACTION_COMMIT")).isZero();
  }

  @Test
  void aBapiThatSucceedsWithCommitIsCommittedAndOneWithoutIsNot() throws Exception {
    String committed = created("Committed AG", "DE", "Bonn", "53111");

    assertThat(committed).isNotBlank();
    assertThat(sim.customerExists(committed)).isTrue();
    assertThat(sim.callCount("BAPI_TRANSACTION_COMMIT")).isEqualTo(1);

    JsonNode out = call("{'function':'BAPI_CUSTOMER_CREATEFROMDATA1','importing':{'PI_COMPANYDATA':{"
        + "'NAME':'Uncommitted AG','STREET':'Weg 2','POSTL_COD1':'53111','CITY':'Bonn','COUNTRY':'DE','LANGU':'E',"
        + "'CURRENCY':'EUR'},'PI_COPYREFERENCE':{'SALESORG':'1000','DISTR_CHAN':'10','DIVISION':'00',"
        + "'REF_CUSTMR':'0000001000'}}}");
    assertThat(out.path("messages")).anySatisfy(m -> assertThat(m.path("type").asText()).isEqualTo("S"));
    assertThat(sim.customerExists(out.path("exporting").path("CUSTOMERNO").asText()))
        .as("without commit SAP drops the work when the session ends").isFalse();
  }

  // ---- exactly once ----

  @Test
  void aRedeliveredCallOfAFunctionThatIsNotRepeatableEndsUnknownWithoutCallingSap() {
    SapException e = catchThrowableOfType(SapException.class, () -> jobs().run(job(Action.FUNCTION_CALL,
        "{'function':'BAPI_CUSTOMER_CREATEFROMDATA1','commit':true}", 2), true));

    assertThat(e.kind()).isEqualTo(SapException.Kind.OUTCOME_UNKNOWN);
    assertThat(e.getMessage()).startsWith("the outcome of calling BAPI_CUSTOMER_CREATEFROMDATA1 is unknown:")
        .contains("not repeated because policy.functions.repeatable does not name BAPI_CUSTOMER_CREATEFROMDATA1",
            "check in SAP");
    assertThat(sim.totalCalls()).isZero();
  }

  @Test
  void aRedeliveredCallOfARepeatableFunctionRuns() throws Exception {
    JsonNode out = call(jobs(), "{'function':'BAPI_COMPANYCODE_GETLIST'}", true);

    assertThat(out.path("tables").path("COMPANYCODE_LIST")).hasSize(2);
    assertThat(sim.callCount(COMPANY_CODES)).isEqualTo(1);
  }

  private static SapCalls withRetries() {
    return SapCalls.of(new Resilience("bapi", new ResilienceSettings(3, Duration.ofMillis(1), Duration.ofMillis(2), 10,
        Duration.ofSeconds(30)), Clock.systemUTC()));
  }

  @Test
  void aCallWhoseAnswerWasLostIsNotSentAgainUnlessRepeatable() {
    sim.failAfterNextCallOf(CREATE, JCoException.JCO_ERROR_COMMUNICATION);

    SapException e = catchThrowableOfType(SapException.class, () -> jobs(withRetries()).run(job(Action.FUNCTION_CALL,
        "{'function':'BAPI_CUSTOMER_CREATEFROMDATA1','importing':{'PI_COPYREFERENCE':{'SALESORG':'1000'}}}", 1),
        false));

    assertThat(e.kind()).isEqualTo(SapException.Kind.OUTCOME_UNKNOWN);
    assertThat(e.getMessage()).contains("the outcome of calling BAPI_CUSTOMER_CREATEFROMDATA1 is unknown",
        "not repeated because policy.functions.repeatable does not name");
    assertThat(sim.callCount(CREATE)).isEqualTo(1);
  }

  @Test
  void whenSapCannotBeReachedJustBeforeTheCallNothingWasSentAndTheCallMayBeRetried() throws Exception {
    BapiFunctions port = new BapiFunctions(SimDestinations.SIM, policy.calls(null));
    io.ferry.agent.function.FunctionPort.Prepared prepared = port.prepare(new io.ferry.protocol.function.FunctionCall(
        COMPANY_CODES, null, null, null, null));
    assertThat(prepared.problems()).isEmpty();
    sim.failNextCalls(1, JCoException.JCO_ERROR_COMMUNICATION);

    SapException e = catchThrowableOfType(SapException.class, prepared::run);

    assertThat(e.kind()).as("the ping failed: SAP surely did not act").isEqualTo(SapException.Kind.UNAVAILABLE);
    assertThat(sim.callCount(COMPANY_CODES)).isZero();
  }

  @Test
  void aRepeatableCallWhoseAnswerWasLostIsSentAgain() throws Exception {
    sim.failAfterNextCallOf(COMPANY_CODES, JCoException.JCO_ERROR_COMMUNICATION);

    JsonNode out = call(jobs(withRetries()), "{'function':'BAPI_COMPANYCODE_GETLIST'}", false);

    assertThat(out.path("tables").path("COMPANYCODE_LIST")).hasSize(2);
    assertThat(sim.callCount(COMPANY_CODES)).isEqualTo(2);
  }
}
