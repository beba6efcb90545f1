package io.ferry.sapsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoDestinationManager;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoMetaData;
import com.sap.conn.jco.JCoRepository;
import com.sap.conn.jco.JCoRuntimeException;
import com.sap.conn.jco.JCoStructure;
import com.sap.conn.jco.JCoTable;
import com.sap.conn.jco.ext.DestinationDataEventListener;
import com.sap.conn.jco.ext.DestinationDataProvider;
import com.sap.conn.jco.ext.Environment;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JcoSurfaceTest {

  @BeforeEach
  void setUp() {
    SapSimulator.instance().reset();
    TestDestinations.ensureRegistered();
  }

  @Test
  void onlyOneDestinationDataProviderPerProcess() throws Exception {
    DestinationDataProvider other = new DestinationDataProvider() {
      @Override
      public Properties getDestinationProperties(String destinationName) {
        return null;
      }

      @Override
      public boolean supportsEvents() {
        return false;
      }

      @Override
      public void setDestinationDataEventListener(DestinationDataEventListener eventListener) {}
    };
    assertThat(Environment.isDestinationDataProviderRegistered()).isTrue();
    assertThatThrownBy(() -> Environment.registerDestinationDataProvider(other))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Environment.unregisterDestinationDataProvider(other))
        .isInstanceOf(IllegalStateException.class);

    Environment.unregisterDestinationDataProvider(TestDestinations.PROVIDER);
    try {
      assertThat(Environment.isDestinationDataProviderRegistered()).isFalse();
      assertThatThrownBy(() -> JCoDestinationManager.getDestination(TestDestinations.SIM))
          .isInstanceOf(JCoException.class)
          .satisfies(e -> assertThat(((JCoException) e).getGroup()).isEqualTo(JCoException.JCO_ERROR_RESOURCE))
          .hasMessageContaining("does not exist");
    } finally {
      Environment.registerDestinationDataProvider(TestDestinations.PROVIDER);
    }
  }

  @Test
  void unknownDestinationNameDoesNotExist() {
    assertThatThrownBy(() -> JCoDestinationManager.getDestination("NOPE"))
        .isInstanceOf(JCoException.class)
        .satisfies(e -> assertThat(((JCoException) e).getGroup()).isEqualTo(106));
  }

  @Test
  void destinationWithoutHostIsInvalid() {
    assertThatThrownBy(() -> JCoDestinationManager.getDestination("NO_HOST"))
        .isInstanceOf(JCoException.class)
        .satisfies(e -> assertThat(((JCoException) e).getGroup()).isEqualTo(180));
  }

  @Test
  void logonIsCheckedAtTheFirstRemoteActionAndNeverShowsThePassword() throws Exception {
    JCoDestination noUser = JCoDestinationManager.getDestination("NO_USER");
    assertThatThrownBy(noUser::ping).isInstanceOf(JCoException.class)
        .satisfies(e -> assertThat(((JCoException) e).getGroup()).isEqualTo(103));

    JCoDestination wrong = JCoDestinationManager.getDestination("WRONG_PASSWORD");
    assertThatThrownBy(wrong::getRepository).isInstanceOf(JCoException.class)
        .hasMessageContaining("Name or password is incorrect")
        .hasMessageNotContaining("wrong-one").hasMessageNotContaining("right-one");
    assertThat(wrong.toString()).doesNotContain("wrong-one");

    JCoDestination otherUser = JCoDestinationManager.getDestination("OTHER_USER");
    assertThatThrownBy(otherUser::ping).isInstanceOf(JCoException.class);

    JCoDestination ok = JCoDestinationManager.getDestination(TestDestinations.SIM);
    ok.ping();
    assertThat(ok.getAttributes().getSystemID()).isEqualTo("FRY");
    assertThat(ok.getAttributes().getLanguage()).isEqualTo("E");
  }

  @Test
  void unknownFunctionIsNullAndMetadataCarriesTypesAndLengths() throws Exception {
    JCoRepository repo = TestDestinations.get(TestDestinations.SIM).getRepository();

    assertThat(repo.getFunction("Z_DOES_NOT_EXIST")).isNull();
    assertThat(repo.getFunctionTemplate("Z_DOES_NOT_EXIST")).isNull();

    JCoFunction create = repo.getFunction("BAPI_CUSTOMER_CREATEFROMDATA1");
    JCoMetaData data = create.getImportParameterList().getStructure("PI_COMPANYDATA").getMetaData();
    assertThat(data.getName()).isEqualTo("BAPIKNA106");
    assertThat(data.getType("NAME")).isEqualTo(JCoMetaData.TYPE_CHAR);
    assertThat(data.getLength("NAME")).isEqualTo(40);
    assertThat(data.getLength("E_MAIL")).isEqualTo(241);
    assertThat(create.getExportParameterList().getListMetaData().isExport(0)).isTrue();
    assertThat(create.getChangingParameterList()).isNull();
    assertThat(create.getImportParameterList().getMetaData().getType("PI_COPYREFERENCE"))
        .isEqualTo(JCoMetaData.TYPE_STRUCTURE);
    assertThat(repo.getStructureDefinition("BAPIRETURN1").getType("NUMBER")).isEqualTo(JCoMetaData.TYPE_NUM);
  }

  @Test
  void recordsConvertLikeJco() throws Exception {
    JCoFunction commit = TestDestinations.get(TestDestinations.SIM).getRepository()
        .getFunction("BAPI_TRANSACTION_COMMIT");
    JCoStructure ret = commit.getExportParameterList().getStructure("RETURN");

    ret.setValue("NUMBER", 5);
    assertThat(ret.getString("NUMBER")).isEqualTo("005");
    assertThat(ret.getInt("NUMBER")).isEqualTo(5);
    ret.setValue("MESSAGE", "trailing   ");
    assertThat(ret.getString("MESSAGE")).isEqualTo("trailing");
    assertThatThrownBy(() -> ret.setValue("NUMBER", "abc")).isInstanceOf(JCoRuntimeException.class);
    assertThatThrownBy(() -> ret.getString("NO_SUCH_FIELD"))
        .isInstanceOf(JCoRuntimeException.class)
        .satisfies(e -> assertThat(((JCoRuntimeException) e).getGroup()).isEqualTo(127));
    assertThat(ret.toXML()).contains("<NUMBER>005</NUMBER>");
  }

  @Test
  void tablesMoveTheirRowPointer() throws Exception {
    JCoFunction f = TestDestinations.get(TestDestinations.SIM).getRepository()
        .getFunction("BAPI_CUSTOMER_GETSALESAREAS");
    JCoTable t = f.getTableParameterList().getTable("SALESAREAS");

    assertThat(t.isEmpty()).isTrue();
    assertThat(t.nextRow()).isFalse();
    t.appendRow();
    t.setValue("SALESORG", "1000");
    t.appendRow();
    t.setValue("SALESORG", "2000");
    t.firstRow();
    assertThat(t.getString("SALESORG")).isEqualTo("1000");
    assertThat(t.nextRow()).isTrue();
    assertThat(t.getString("SALESORG")).isEqualTo("2000");
    assertThat(t.nextRow()).isFalse();
    assertThat(t.getNumRows()).isEqualTo(2);
    t.clear();
    assertThat(t.getNumRows()).isZero();
  }
}
