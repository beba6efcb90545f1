package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Customer text from an engine as SAP finally sees it, through a real relay and agent on either backend (BAPI
 * against the JCo simulator, OData against the S/4HANA test peer): control characters and lone surrogates are
 * refused before anything reaches SAP; decomposed accents arrive in NFC; Kosovo's XK is created like any
 * country.
 */
@ParameterizedClass(name = "SAP over {0}")
@EnumSource(FerryStack.Sap.class)
class HostileTextEndToEndTest {

  private static final String CUSTOMER = """
      {"externalId":"%s","name":"%s","street":"Hauptstrasse","postalCode":"10000","city":"Pristina",
       "country":"%s","language":"de","currency":"EUR",
       "salesArea":{"salesOrganization":"1000","distributionChannel":"10","division":"00"}}
      """;

  @Parameter FerryStack.Sap sap;
  @TempDir Path dir;
  private FerryStack stack;

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private Engine engine() throws Exception {
    if (stack == null) {
      stack = new FerryStack(dir, sap).start();
    }
    return new Engine(stack.url(), stack.apiKey());
  }

  @Test
  void aNulAControlOrALoneSurrogateInANameIs422NamingItAndSapSeesNoCall() throws Exception {
    Engine engine = engine();
    int before = stack.sapCalls();

    for (String name : new String[] {"Muster\\u0000GmbH", "Muster\\u001bGmbH", "Muster\\r\\nGmbH", "Muster\\ud800GmbH",
        "\\u200b\\u00a0"}) {
      Engine.Answer a = engine.post("/v1/customers", CUSTOMER.formatted("CRM-1", name, "DE"));

      assertThat(a.status()).as(name + ": " + a.body()).isEqualTo(422);
      assertThat(a.header("Content-Type")).startsWith("application/problem+json");
      assertThat(a.body().get("errors")).hasSize(1);
      assertThat(a.body().at("/errors/0/field").asText()).isEqualTo("name");
    }
    assertThat(stack.sapCalls()).as("SAP saw no call").isEqualTo(before);
  }

  @Test
  void aCustomerInKosovoIsCreatedWithCountryXk() throws Exception {
    Engine engine = engine();

    Engine.Answer created = engine.post("/v1/customers", CUSTOMER.formatted("CRM-XK", "Kosova Sh.p.k.", "XK"));

    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    assertThat(created.body().get("country").asText()).isEqualTo("XK");
    String number = created.body().get("customerNumber").asText();
    Engine.Answer read = engine.get("/v1/customers/" + number);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body().get("country").asText()).isEqualTo("XK");
  }

  @Test
  void decomposedAccentsReachSapInNfc() throws Exception {
    Engine engine = engine();
    // "Müller" with u + combining diaeresis, as some macOS exports write it.
    Engine.Answer created = engine.post("/v1/customers", CUSTOMER.formatted("CRM-NFD", "Mu\\u0308ller GmbH", "DE"));

    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    String number = created.body().get("customerNumber").asText();
    assertThat(stack.sapName(number)).isEqualTo("M\u00fcller GmbH");
  }
}
