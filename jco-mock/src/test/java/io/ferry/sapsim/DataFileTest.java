package io.ferry.sapsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sap.conn.jco.JCoContext;
import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFileTest {

  @TempDir
  Path dir;

  @BeforeEach
  void setUp() {
    SapSimulator.instance().reset();
    TestDestinations.ensureRegistered();
  }

  private static String createAndCommit(JCoDestination d, String name, String name4) throws JCoException {
    Bapis bapi = new Bapis(d);
    JCoFunction create = bapi.createFunction(name, "Berlin");
    create.getImportParameterList().getStructure("PI_COMPANYDATA").setValue("NAME_4", name4);
    JCoContext.begin(d);
    try {
      String number = bapi.run(create).customerNumber();
      assertThat(bapi.commit().type()).isEmpty();
      return number;
    } finally {
      JCoContext.end(d);
    }
  }

  @Test
  void committedCustomersAndTheNumberRangeSurviveARestart() throws Exception {
    Path file = dir.resolve("demo").resolve("sap-simulator.json");
    JCoDestination d = TestDestinations.get(TestDestinations.define("jco.mock.data_file", file.toString()));

    String first = createAndCommit(d, "Acme GmbH", "CRM-1");
    assertThat(first).isEqualTo("0000100001");
    assertThat(file).exists();
    assertThat(Files.readString(file)).contains("\"format\": \"ferry-sap-simulator/1\"").contains("Acme GmbH");
    try (var leftovers = Files.list(file.getParent())) {
      assertThat(leftovers).containsExactly(file);
    }

    SapSimulator.unload(file);

    Bapis bapi = new Bapis(d);
    JCoFunction detail = bapi.getDetail2(first);
    assertThat(bapi.returnType(detail)).isEmpty();
    assertThat(detail.getExportParameterList().getStructure("CUSTOMERADDRESS").getString("NAME_4")).isEqualTo("CRM-1");
    assertThat(SapSimulator.forDataFile(file).customer(first).orElseThrow())
        .containsEntry("KNVV[1000/10/00].WAERS", "EUR")
        .containsEntry("KNB1[1000].AKONT", "0000140000");
    assertThat(createAndCommit(d, "Beta AG", "CRM-2")).isEqualTo("0000100002");
  }

  @Test
  void differentDataFilesAreDifferentSystemsAndTheDefaultStaysApart() throws Exception {
    JCoDestination a = TestDestinations.get(TestDestinations.define("jco.mock.data_file", dir.resolve("a.json").toString()));
    JCoDestination b = TestDestinations.get(TestDestinations.define("jco.mock.data_file", dir.resolve("b.json").toString()));

    String inA = createAndCommit(a, "Acme GmbH", "CRM-1");

    assertThat(SapSimulator.forDataFile(dir.resolve("a.json")).customerExists(inA)).isTrue();
    assertThat(SapSimulator.forDataFile(dir.resolve("b.json")).customerExists(inA)).isFalse();
    assertThat(SapSimulator.instance().customerExists(inA)).isFalse();
    assertThat(createAndCommit(b, "Beta AG", "CRM-2")).isEqualTo("0000100001");
    assertThat(dir.resolve("b.json")).exists();
  }

  @Test
  void uncommittedWorkIsNotWrittenAndAFileThatCannotBeReadStopsTheSystem() throws Exception {
    Path file = dir.resolve("sap.json");
    JCoDestination d = TestDestinations.get(TestDestinations.define("jco.mock.data_file", file.toString()));
    Bapis bapi = new Bapis(d);
    JCoContext.begin(d);
    try {
      bapi.create("Acme GmbH", "Berlin");
    } finally {
      JCoContext.end(d);
    }
    assertThat(file).doesNotExist();

    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{ not json");
    JCoDestination bad = TestDestinations.get(TestDestinations.define("jco.mock.data_file", broken.toString()));
    JCoException e = catchThrowableOfType(JCoException.class, bad::ping);
    assertThat(e.getGroup()).isEqualTo(JCoException.JCO_ERROR_SYSTEM_FAILURE);
    assertThat(e.getMessage()).contains(broken.toString());
    assertThat(Files.readString(broken)).isEqualTo("{ not json");
  }

  @Test
  void aDataFileThatCannotBeWrittenFailsTheCommitAndPostsNothing() throws Exception {
    Path blocker = dir.resolve("not-a-folder");
    Files.writeString(blocker, "a file where the data file's folder should be");
    Path file = blocker.resolve("sap.json");
    JCoDestination d = TestDestinations.get(TestDestinations.define("jco.mock.data_file", file.toString()));
    Bapis bapi = new Bapis(d);
    JCoContext.begin(d);
    try {
      String number = bapi.create("Acme GmbH", "Berlin").customerNumber();
      Bapis.Result commit = bapi.commit();
      assertThat(commit.type()).isEqualTo("E");
      assertThat(commit.id() + commit.number()).isEqualTo("S&101");
      assertThat(SapSimulator.forDataFile(file).customerExists(number)).isFalse();
    } finally {
      JCoContext.end(d);
    }
  }
}
