package io.ferry.agent.sap.bapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.sap.conn.jco.ext.DestinationDataEventListener;
import com.sap.conn.jco.ext.Environment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PropertiesDestinationProviderTest {

  @Test
  void answersCopiesAndNullForUnknownNames() {
    Properties original = SimDestinations.props("pw-1");
    PropertiesDestinationProvider p = new PropertiesDestinationProvider(Map.of("A", original));

    Properties answered = p.getDestinationProperties("A");
    answered.setProperty("jco.client.user", "CHANGED");

    assertThat(p.getDestinationProperties("A").getProperty("jco.client.user")).isEqualTo("FERRY");
    assertThat(p.getDestinationProperties("B")).isNull();
    original.setProperty("jco.client.user", "CHANGED-TOO");
    assertThat(p.getDestinationProperties("A").getProperty("jco.client.user")).isEqualTo("FERRY");
  }

  @Test
  void toStringNamesDestinationsButNeverThePassword() {
    PropertiesDestinationProvider p = new PropertiesDestinationProvider(Map.of("A", SimDestinations.props("pw-secret-1")));

    assertThat(p.toString()).contains("A").doesNotContain("pw-secret-1").doesNotContain("passwd");
  }

  @Test
  void replacingDestinationsTellsJcoWhatChanged() {
    PropertiesDestinationProvider p = new PropertiesDestinationProvider(
        Map.of("A", SimDestinations.props("x"), "B", SimDestinations.props("y")));
    List<String> events = new ArrayList<>();
    p.setDestinationDataEventListener(new DestinationDataEventListener() {
      @Override
      public void deleted(String destinationName) {
        events.add("deleted " + destinationName);
      }

      @Override
      public void updated(String destinationName) {
        events.add("updated " + destinationName);
      }
    });

    p.replaceAll(Map.of("A", SimDestinations.props("z")));

    assertThat(events).containsExactly("deleted B", "updated A");
    assertThat(p.getDestinationProperties("B")).isNull();
    assertThat(p.getDestinationProperties("A").getProperty("jco.client.passwd")).isEqualTo("z");
    assertThat(p.supportsEvents()).isTrue();
  }

  @Test
  void installRegistersOneProviderPerProcess() {
    PropertiesDestinationProvider first = PropertiesDestinationProvider.install(Map.of(
        SimDestinations.SIM, SimDestinations.props(SimDestinations.PASSWORD)));
    SimDestinations.install();

    assertThat(PropertiesDestinationProvider.install(Map.of(SimDestinations.SIM,
        SimDestinations.props(SimDestinations.PASSWORD)))).isSameAs(first);
    assertThat(Environment.isDestinationDataProviderRegistered()).isTrue();
    SimDestinations.install();
  }
}
