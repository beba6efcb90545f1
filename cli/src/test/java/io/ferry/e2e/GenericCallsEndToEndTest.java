package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.policy.GenericGrants;
import io.ferry.sapsim.SapSimulator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's flow as an integration engineer builds it in a workflow engine: list the functions the agent allows,
 * read one's schema, call {@code BAPI_COMPANYCODE_GETLIST}, read table {@code KNA1} with {@code RFC_READ_TABLE} and an
 * {@code OPTIONS} filter — on the simulated SAP behind the JCo API — then create a business partner with its address
 * in one deep insert through {@code /v1/odata/…} on Ferry's OData test server. A relay and an agent on loopback; the
 * agent's allowlist decides, whatever the relay asks.
 */
class GenericCallsEndToEndTest {

  static final String SERVICE = "API_BUSINESS_PARTNER";
  static final Set<String> FUNCTIONS = Set.of("BAPI_COMPANYCODE_GETLIST", "BAPI_CUSTOMER_GETDETAIL2", "RFC_READ_TABLE");
  static final GenericGrants GRANTS = new GenericGrants(FUNCTIONS, Set.of("BAPI_COMPANYCODE_GETLIST", "RFC_READ_TABLE"),
      List.of(new GenericGrants.Resource(SERVICE, "A_BusinessPartner", Set.of("GET", "POST"))));

  static final String PARTNER = """
      {"BusinessPartnerCategory":"2","OrganizationBPName1":"Ferry Generic AG",
       "to_BusinessPartnerAddress":{"results":[{"Country":"DE","CityName":"Walldorf","PostalCode":"69190",
                                               "StreetName":"Dietmar-Hopp-Allee","Language":"DE"}]}}
      """;

  @TempDir Path dir;
  private FerryStack stack;
  private Engine engine;

  @BeforeEach
  void start() throws Exception {
    SapSimulator.instance().reset();
    stack = new FerryStack(dir, FerryStack.Sap.BAPI).withODataService(SERVICE)
        .withAgent(c -> c.withPolicy(AgentPolicy.defaults().withGeneric(GRANTS))).start();
    engine = new Engine(stack.url(), stack.apiKey());
  }

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aFlowListsFunctionsReadsASchemaCallsTwoAndCreatesAPartnerThroughOData() throws Exception {
    Engine.Answer list = engine.get("/v1/functions");
    assertThat(list.status()).as(String.valueOf(list.body())).isEqualTo(200);
    List<String> names = new ArrayList<>();
    list.body().get("functions").forEach(f -> names.add(f.get("name").asText()));
    assertThat(names).containsExactlyInAnyOrderElementsOf(FUNCTIONS);
    assertThat(list.body().toString()).as("SAP's short texts, for a picker")
        .contains("\"description\":\"External access to R/3 tables via RFC\"");

    Engine.Answer schema = engine.get("/v1/functions/RFC_READ_TABLE");
    assertThat(schema.status()).isEqualTo(200);
    JsonNode importing = schema.body().at("/request/properties/importing/properties");
    assertThat(importing.at("/QUERY_TABLE/type").asText()).isEqualTo("string");
    assertThat(importing.at("/QUERY_TABLE/maxLength").asInt()).isEqualTo(30);
    assertThat(schema.body().at("/request/properties/tables/properties/OPTIONS/items/properties/TEXT/maxLength")
        .asInt()).isEqualTo(72);
    assertThat(schema.body().get("exceptions").toString()).contains("TABLE_NOT_AVAILABLE", "OPTION_NOT_VALID");

    Engine.Answer codes = engine.post("/v1/functions/BAPI_COMPANYCODE_GETLIST", "{}");
    assertThat(codes.status()).as(String.valueOf(codes.body())).isEqualTo(200);
    List<String> companyCodes = new ArrayList<>();
    codes.body().at("/tables/COMPANYCODE_LIST").forEach(c -> companyCodes.add(c.get("COMP_CODE").asText()));
    assertThat(companyCodes).contains("1000");

    String number = engine.post("/v1/customers", CustomerLifecycleTest.customer("GEN-1", "DE", ""))
        .body().get("customerNumber").asText();
    engine.post("/v1/customers", CustomerLifecycleTest.customer("GEN-2", "DE", ""));
    Engine.Answer rows = engine.post("/v1/functions/RFC_READ_TABLE", """
        {"importing":{"QUERY_TABLE":"KNA1","DELIMITER":"|"},
         "tables":{"OPTIONS":[{"TEXT":"KUNNR EQ '%s'"}],"FIELDS":[{"FIELDNAME":"KUNNR"},{"FIELDNAME":"LAND1"}]}}
        """.formatted(number));
    assertThat(rows.status()).as(String.valueOf(rows.body())).isEqualTo(200);
    JsonNode data = rows.body().at("/tables/DATA");
    assertThat(data).as("only the customer the filter names").hasSize(1);
    assertThat(data.get(0).get("WA").asText()).isEqualTo(number + "|DE");

    Engine.Answer created = engine.post("/v1/odata/" + SERVICE + "/A_BusinessPartner", PARTNER,
        "Idempotency-Key", "partner-generic-1");
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    String partner = created.body().get("BusinessPartner").asText();
    assertThat(created.header("Location"))
        .startsWith(stack.url() + "/v1/odata/" + SERVICE + "/A_BusinessPartner(");
    assertThat(created.raw().body()).as("SAP's host stays with the agent")
        .doesNotContain(stack.odataPeer().url()).doesNotContain("/sap/opu/odata");
    assertThat(stack.odataPeer().entity("A_BusinessPartner", partner)).isNotNull();

    Engine.Answer read = engine.get(created.header("Location") + "?$expand=to_BusinessPartnerAddress");
    assertThat(read.status()).as(String.valueOf(read.body())).isEqualTo(200);
    assertThat(read.body().at("/OrganizationBPName1").asText()).isEqualTo("Ferry Generic AG");
    assertThat(read.body().at("/to_BusinessPartnerAddress/results/0/CityName").asText()).isEqualTo("Walldorf");
  }

  @Test
  void whatTheAgentsAllowlistDoesNotNameIsRefusedOnTheAgentAndNeverReachesSap() throws Exception {
    Engine.Answer create = engine.post("/v1/functions/BAPI_CUSTOMER_CREATEFROMDATA1",
        "{\"importing\":{},\"commit\":true}", "Idempotency-Key", "not-allowed-1");
    assertThat(create.status()).as(String.valueOf(create.body())).isEqualTo(403);
    assertThat(create.body().get("detail").asText()).contains("forbidden by agent policy");
    assertThat(SapSimulator.instance().callCount("BAPI_CUSTOMER_CREATEFROMDATA1")).isZero();

    stack.odataPeer().clearRequests();
    Engine.Answer address = engine.get("/v1/odata/" + SERVICE + "/A_BusinessPartnerAddress");
    assertThat(address.status()).as(String.valueOf(address.body())).isEqualTo(403);
    Engine.Answer delete = engine.post("/v1/odata/" + SERVICE + "/A_Customer", "{\"Customer\":\"1\"}",
        "Idempotency-Key", "not-allowed-2");
    assertThat(delete.status()).as(String.valueOf(delete.body())).isEqualTo(403);
    assertThat(stack.odataPeer().requests()).as("nothing reached the OData server").isEmpty();
  }

  @Test
  void aCallWithAnUnknownParameterIsRefusedNamingItsPathBeforeSapIsCalled() throws Exception {
    int before = SapSimulator.instance().callCount("RFC_READ_TABLE");
    Engine.Answer a = engine.post("/v1/functions/RFC_READ_TABLE",
        "{\"importing\":{\"QUERY_TABLE\":\"KNA1\",\"QUERY_TABEL\":\"KNA1\"}}");
    assertThat(a.status()).isEqualTo(422);
    assertThat(a.body().toString()).contains("importing.QUERY_TABEL");
    assertThat(SapSimulator.instance().callCount("RFC_READ_TABLE")).isEqualTo(before);
  }
}
