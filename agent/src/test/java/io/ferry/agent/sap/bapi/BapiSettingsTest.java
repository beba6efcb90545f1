package io.ferry.agent.sap.bapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.protocol.SalesArea;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BapiSettingsTest {

  @Test
  void referenceCustomersAreAlphaConvertedAndLookedUpBySalesArea() {
    BapiSettings s = new BapiSettings("FERRY", Map.of("1000/10/00", "1000"));

    assertThat(s.referenceCustomer(new SalesArea("1000", "10", "00"))).contains("0000001000");
    assertThat(s.referenceCustomer(new SalesArea("2000", "10", "00"))).isEmpty();
  }

  @Test
  void messagesNameTheSettingAndTheBadValue() {
    assertThatThrownBy(() -> new BapiSettings(" ", Map.of()))
        .hasMessageContaining("sap.destination");
    assertThatThrownBy(() -> new BapiSettings("FERRY", Map.of("1000-10-00", "1000")))
        .hasMessageContaining("sap.reference-customer.1000-10-00").hasMessageContaining("1000/10/00");
    assertThatThrownBy(() -> new BapiSettings("FERRY", Map.of("1000/10/00", "not a number")))
        .hasMessageContaining("sap.reference-customer.1000/10/00").hasMessageContaining("'not a number'");
  }
}
