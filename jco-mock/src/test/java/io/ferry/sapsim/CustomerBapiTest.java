package io.ferry.sapsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sap.conn.jco.ConversionException;
import com.sap.conn.jco.JCoContext;
import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoStructure;
import com.sap.conn.jco.JCoTable;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CustomerBapiTest {

  private final SapSimulator sim = SapSimulator.instance();
  private JCoDestination dest;
  private Bapis bapi;

  @BeforeEach
  void setUp() throws JCoException {
    sim.reset();
    dest = TestDestinations.get(TestDestinations.SIM);
    bapi = new Bapis(dest);
  }

  @Test
  void createAndCommitInOneContextIsVisibleInAnotherSession() throws Exception {
    Bapis.Result created;
    JCoContext.begin(dest);
    try {
      created = bapi.create("Acme GmbH", "Berlin");
      assertThat(bapi.commit().type()).isEmpty();
    } finally {
      JCoContext.end(dest);
    }

    assertThat(created.type()).isEqualTo("S");
    JCoFunction detail = CompletableFuture.supplyAsync(() -> detailOf(created.customerNumber())).join();
    assertThat(bapi.returnType(detail)).isNotIn("E", "A");
    JCoStructure address = detail.getExportParameterList().getStructure("CUSTOMERADDRESS");
    assertThat(address.getString("NAME")).isEqualTo("Acme GmbH");
    assertThat(address.getString("CITY")).isEqualTo("Berlin");
    assertThat(sim.customer(created.customerNumber()).orElseThrow())
        .containsEntry("KTOKD", "KUNA")
        .containsEntry("KNVV[1000/10/00].WAERS", "EUR")
        .containsEntry("KNB1[1000].AKONT", "0000140000")
        .containsEntry("KNB1[1000].ZTERM", "0001");
  }

  @Test
  void createWithoutCommitIsInvisibleAndGoneAfterTheContextEnds() throws Exception {
    Bapis.Result created;
    JCoContext.begin(dest);
    try {
      created = bapi.create("Acme GmbH", "Berlin");
      // Another session (another thread) does not see the queued create.
      JCoFunction elsewhere = CompletableFuture.supplyAsync(() -> detailOf(created.customerNumber())).join();
      assertThat(bapi.returnType(elsewhere)).isEqualTo("E");
      // Nor does the own session before its commit: the update task has not run.
      assertThat(bapi.returnType(bapi.getDetail2(created.customerNumber()))).isEqualTo("E");
    } finally {
      JCoContext.end(dest);
    }

    bapi.commit(); // a new session: nothing of the ended one is left to commit
    assertThat(sim.customerExists(created.customerNumber())).isFalse();
    JCoStructure ret = bapi.getDetail2(created.customerNumber()).getExportParameterList().getStructure("RETURN");
    assertThat(ret.getString("ID") + ret.getString("NUMBER")).isEqualTo("F2502");
  }

  @Test
  void createOutsideAContextFollowedByACommitOutsideItDoesNotPersist() throws Exception {
    Bapis.Result created = bapi.create("Acme GmbH", "Berlin");
    bapi.commit();

    assertThat(created.type()).isEqualTo("S");
    assertThat(sim.customerExists(created.customerNumber())).isFalse();
  }

  @Test
  void rollbackDropsTheQueuedCreate() throws Exception {
    Bapis.Result created;
    JCoContext.begin(dest);
    try {
      created = bapi.create("Acme GmbH", "Berlin");
      bapi.rollback();
      bapi.commit();
    } finally {
      JCoContext.end(dest);
    }
    assertThat(sim.customerExists(created.customerNumber())).isFalse();
  }

  @Test
  void nestedContextsShareOneSessionUntilTheLastEnd() throws Exception {
    Bapis.Result created;
    JCoContext.begin(dest);
    try {
      JCoContext.begin(dest);
      created = bapi.create("Acme GmbH", "Berlin");
      JCoContext.end(dest);
      assertThat(JCoContext.isStateful(dest)).isTrue();
      bapi.commit();
    } finally {
      JCoContext.end(dest);
    }
    assertThat(JCoContext.isStateful(dest)).isFalse();
    assertThat(sim.customerExists(created.customerNumber())).isTrue();
  }

  @Test
  void numbersAreSequentialTenDigitsWithLeadingZeros() throws Exception {
    JCoContext.begin(dest);
    try {
      assertThat(bapi.create("First", "Berlin").customerNumber()).isEqualTo("0000100001");
      assertThat(bapi.create("Second", "Berlin").customerNumber()).isEqualTo("0000100002");
      bapi.commit();
    } finally {
      JCoContext.end(dest);
    }
  }

  @Test
  void missingMandatoryFieldAnswersAnErrorNamingTheField() throws Exception {
    JCoFunction f = bapi.createFunction("Acme GmbH", "Berlin");
    f.getImportParameterList().getStructure("PI_COMPANYDATA").setValue("CITY", "");

    Bapis.Result r = bapi.run(f);

    assertThat(r.type()).isEqualTo("E");
    assertThat(r.id()).isEqualTo("ZFERRY_SIM");
    assertThat(r.number()).isEqualTo("010");
    assertThat(r.message()).contains("PI_COMPANYDATA-CITY");
    assertThat(r.customerNumber()).isEmpty();
  }

  @Test
  void personalAndCompanyDataTogetherAreRefused() throws Exception {
    JCoFunction f = bapi.createFunction("Acme GmbH", "Berlin");
    f.getImportParameterList().getStructure("PI_PERSONALDATA").setValue("LASTNAME", "Doe");

    assertThat(bapi.run(f).number()).isEqualTo("001");
  }

  @Test
  void unknownReferenceCustomerAnswersF2502() throws Exception {
    JCoFunction f = bapi.createFunction("Acme GmbH", "Berlin");
    f.getImportParameterList().getStructure("PI_COPYREFERENCE").setValue("REF_CUSTMR", "0000009999");

    Bapis.Result r = bapi.run(f);

    assertThat(r.type()).isEqualTo("E");
    assertThat(r.id() + r.number()).isEqualTo("F2502");
    assertThat(r.message()).contains("0000009999");
  }

  @Test
  void referenceCustomerMissingInTheSalesAreaAnswersF2156() throws Exception {
    sim.addSalesArea("2000", "10", "00", "2000");
    JCoFunction f = bapi.createFunction("Acme GmbH", "Berlin");
    f.getImportParameterList().getStructure("PI_COPYREFERENCE").setValue("SALESORG", "2000");

    Bapis.Result r = bapi.run(f);

    assertThat(r.id() + r.number()).isEqualTo("F2156");
    assertThat(r.message()).isEqualTo("Debtor 0000001000 is not created for sales area 2000 10 00");
  }

  @Test
  void referenceNumberWithoutLeadingZerosIsNotFoundAsInSap() throws Exception {
    JCoFunction f = bapi.createFunction("Acme GmbH", "Berlin");
    f.getImportParameterList().getStructure("PI_COPYREFERENCE").setValue("REF_CUSTMR", "1000");

    assertThat(bapi.run(f).number()).isEqualTo("502");
  }

  @Test
  void nameLongerThanTheCustomerMasterTakesIsAnErrorAndLongerThanTheFieldAConversionError()
      throws Exception {
    JCoFunction f = bapi.createFunction("A".repeat(36), "Berlin");
    Bapis.Result r = bapi.run(f);
    assertThat(r.number()).isEqualTo("011");
    assertThat(r.message()).isEqualTo("Field PI_COMPANYDATA-NAME is longer than 35 characters");

    JCoStructure data = f.getImportParameterList().getStructure("PI_COMPANYDATA");
    assertThatThrownBy(() -> data.setValue("NAME", "A".repeat(41)))
        .isInstanceOf(ConversionException.class)
        .satisfies(e -> assertThat(((ConversionException) e).getGroup()).isEqualTo(JCoException.JCO_ERROR_CONVERSION));
  }

  @Test
  void isoCodesAreAcceptedAndUnknownKeysRefused() throws Exception {
    JCoFunction f = bapi.createFunction("Acme GmbH", "Berlin");
    JCoStructure data = f.getImportParameterList().getStructure("PI_COMPANYDATA");
    data.setValue("LANGU", "");
    data.setValue("LANGU_ISO", "FR");
    JCoContext.begin(dest);
    try {
      Bapis.Result r = bapi.run(f);
      bapi.commit();
      assertThat(sim.customer(r.customerNumber()).orElseThrow()).containsEntry("LANGUAGE", "F");
    } finally {
      JCoContext.end(dest);
    }

    JCoFunction bad = bapi.createFunction("Acme GmbH", "Berlin");
    bad.getImportParameterList().getStructure("PI_COMPANYDATA").setValue("CURRENCY", "XYZ");
    assertThat(bapi.run(bad).number()).isEqualTo("014");
  }

  @Test
  void kosovoIsInTheCountryTableAsInSapSystemsAndAnUndefinedKeyIsNot() throws Exception {
    JCoFunction f = bapi.createFunction("Acme GmbH", "Pristina");
    f.getImportParameterList().getStructure("PI_COMPANYDATA").setValue("COUNTRY", "XK");
    JCoContext.begin(dest);
    try {
      Bapis.Result r = bapi.run(f);
      assertThat(r.type()).as(r.message()).isEqualTo("S");
      bapi.commit();
      assertThat(sim.customer(r.customerNumber()).orElseThrow()).containsEntry("COUNTRY", "XK");
    } finally {
      JCoContext.end(dest);
    }

    JCoFunction bad = bapi.createFunction("Acme GmbH", "Berlin");
    bad.getImportParameterList().getStructure("PI_COMPANYDATA").setValue("COUNTRY", "XX");
    assertThat(bapi.run(bad).number()).isEqualTo("013");
  }

  @Test
  void changeWithXFlagsChangesOnlyTheFlaggedFields() throws Exception {
    String no = createCommitted("Acme GmbH", "Berlin");
    JCoFunction change = bapi.function(FunctionCatalog.CHANGE);
    change.getImportParameterList().setValue("CUSTOMERNO", no);
    change.getImportParameterList().setValue("PI_SALESORG", "1000");
    change.getImportParameterList().setValue("PI_DISTR_CHAN", "10");
    change.getImportParameterList().setValue("PI_DIVISION", "00");
    JCoStructure data = change.getImportParameterList().getStructure("PI_COMPANYDATA");
    data.setValue("NAME", "Not flagged, must not change");
    data.setValue("CITY", "Hamburg");
    data.setValue("NAME_2", "");
    data.setValue("CURRENCY", "USD");
    JCoStructure x = change.getImportParameterList().getStructure("PI_COMPANYDATAX");
    x.setValue("CITY", "X");
    x.setValue("CURRENCY", "X");

    JCoContext.begin(dest);
    try {
      assertThat(bapi.run(change).type()).isEqualTo("S");
      bapi.commit();
    } finally {
      JCoContext.end(dest);
    }

    assertThat(sim.customer(no).orElseThrow())
        .containsEntry("NAME1", "Acme GmbH")
        .containsEntry("CITY", "Hamburg")
        .containsEntry("STREET", "Hauptstrasse")
        .containsEntry("KNVV[1000/10/00].WAERS", "USD");
  }

  @Test
  void changeCanClearAFlaggedOptionalFieldButNotAMandatoryOne() throws Exception {
    String no = createCommitted("Acme GmbH", "Berlin");
    JCoFunction change = bapi.function(FunctionCatalog.CHANGE);
    change.getImportParameterList().setValue("CUSTOMERNO", no);
    change.getImportParameterList().getStructure("PI_COMPANYDATAX").setValue("HOUSE_NO", "X");
    JCoContext.begin(dest);
    try {
      bapi.run(change);
      bapi.commit();
    } finally {
      JCoContext.end(dest);
    }
    assertThat(sim.customer(no).orElseThrow()).doesNotContainKey("HOUSE_NO");

    JCoFunction clearCity = bapi.function(FunctionCatalog.CHANGE);
    clearCity.getImportParameterList().setValue("CUSTOMERNO", no);
    clearCity.getImportParameterList().getStructure("PI_COMPANYDATAX").setValue("CITY", "X");
    Bapis.Result r = bapi.run(clearCity);
    assertThat(r.number()).isEqualTo("010");
    assertThat(r.message()).contains("PI_COMPANYDATA-CITY");
  }

  @Test
  void changeOfAnUnknownCustomerAnswersF2502() throws Exception {
    JCoFunction change = bapi.function(FunctionCatalog.CHANGE);
    change.getImportParameterList().setValue("CUSTOMERNO", "0000999999");
    Bapis.Result r = bapi.run(change);
    assertThat(r.type() + r.id() + r.number()).isEqualTo("EF2502");
  }

  @Test
  void salesAreasAndDetail1ReportTheSalesAreaAndItsCurrency() throws Exception {
    String no = createCommitted("Acme GmbH", "Berlin");

    JCoFunction areas = bapi.function(FunctionCatalog.GETSALESAREAS);
    areas.getImportParameterList().setValue("CUSTOMERNO", no);
    areas.execute(dest);
    JCoTable rows = areas.getTableParameterList().getTable("SALESAREAS");
    assertThat(rows.getNumRows()).isEqualTo(1);
    assertThat(rows.getString("SALESORG") + rows.getString("DISTRCHANN") + rows.getString("DIVISION"))
        .isEqualTo("10001000");

    JCoFunction d1 = bapi.function(FunctionCatalog.GETDETAIL1);
    d1.getImportParameterList().setValue("CUSTOMERNO", no);
    d1.getImportParameterList().setValue("PI_SALESORG", "1000");
    d1.getImportParameterList().setValue("PI_DISTR_CHAN", "10");
    d1.getImportParameterList().setValue("PI_DIVISION", "00");
    d1.execute(dest);
    JCoStructure company = d1.getExportParameterList().getStructure("PE_COMPANYDATA");
    assertThat(company.getString("CURRENCY")).isEqualTo("EUR");
    assertThat(company.getString("LANGU")).isEqualTo("D");
    assertThat(company.getString("HOUSE_NO")).isEqualTo("1");

    JCoFunction none = bapi.function(FunctionCatalog.GETSALESAREAS);
    none.getImportParameterList().setValue("CUSTOMERNO", "0000999999");
    none.execute(dest);
    assertThat(none.getExportParameterList().getStructure("RETURN").getString("CODE")).isEqualTo("QC160");
  }

  @Test
  void failedCommitPostsNothingAndAnswersS101() throws Exception {
    sim.failNextCommit();
    Bapis.Result created;
    Bapis.Result commit;
    JCoContext.begin(dest);
    try {
      created = bapi.create("Acme GmbH", "Berlin");
      commit = bapi.commit();
    } finally {
      JCoContext.end(dest);
    }
    assertThat(commit.type() + commit.id() + commit.number()).isEqualTo("ES&101");
    assertThat(sim.customerExists(created.customerNumber())).isFalse();
  }

  @Test
  void communicationFaultInsideAContextLosesTheUncommittedWork() throws Exception {
    Bapis.Result created;
    JCoContext.begin(dest);
    try {
      created = bapi.create("Acme GmbH", "Berlin");
      sim.failNextCalls(1, JCoException.JCO_ERROR_COMMUNICATION);
      assertThatThrownBy(bapi::commit).isInstanceOf(JCoException.class)
          .satisfies(e -> assertThat(((JCoException) e).getGroup()).isEqualTo(102));
      bapi.commit();
    } finally {
      JCoContext.end(dest);
    }
    assertThat(sim.customerExists(created.customerNumber())).isFalse();
  }

  @Test
  void callsAreCountedPerFunction() throws Exception {
    assertThat(sim.callCount(FunctionCatalog.CREATE)).isZero();
    bapi.create("Acme GmbH", "Berlin");
    bapi.commit();
    assertThat(sim.callCount(FunctionCatalog.CREATE)).isEqualTo(1);
    assertThat(sim.callCount(FunctionCatalog.COMMIT)).isEqualTo(1);
    assertThat(sim.callCount(FunctionCatalog.CHANGE)).isZero();
  }

  private String createCommitted(String name, String city) throws JCoException {
    JCoContext.begin(dest);
    try {
      Bapis.Result r = bapi.create(name, city);
      assertThat(r.type()).isEqualTo("S");
      bapi.commit();
      return r.customerNumber();
    } finally {
      JCoContext.end(dest);
    }
  }

  private JCoFunction detailOf(String customerNo) {
    try {
      return bapi.getDetail2(customerNo);
    } catch (JCoException e) {
      throw new IllegalStateException(e);
    }
  }
}
