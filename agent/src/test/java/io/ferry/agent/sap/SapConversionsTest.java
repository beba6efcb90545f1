package io.ferry.agent.sap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SapConversionsTest {

  @ParameterizedTest
  @CsvSource({"en,E", "de,D", "fr,F", "es,S", "it,I", "nl,N", "pt,P", "ja,J", "zh,1", "ru,R", "pl,L",
      "sv,V", "da,K", "fi,U", "cs,C", "hu,H", "tr,T", "ko,3", "ar,A", "no,O"})
  void languagesMapBothWays(String iso, String sap) {
    assertThat(SapConversions.toSapLanguage(iso)).isEqualTo(sap);
    assertThat(SapConversions.toSapLanguage(iso.toUpperCase())).isEqualTo(sap);
    assertThat(SapConversions.toIsoLanguage(sap)).isEqualTo(iso);
  }

  @ParameterizedTest
  @CsvSource({"en,EN", "de,DE", "zh,ZH", "he,HE", "no,NO"})
  void odataServicesCarryTheLanguageAsSapsIsoCodeInUpperCase(String iso, String laiso) {
    assertThat(SapConversions.toSapIsoLanguage(iso)).isEqualTo(laiso);
    assertThat(SapConversions.fromSapIsoLanguage(laiso)).isEqualTo(iso);
    assertThat(SapConversions.fromSapIsoLanguage(laiso.toLowerCase())).isEqualTo(iso);
  }

  @Test
  void odataLanguagesWithoutSapKeyAreRefused() {
    assertThatThrownBy(() -> SapConversions.toSapIsoLanguage("sw")).hasMessageContaining("'sw'");
    assertThatThrownBy(() -> SapConversions.fromSapIsoLanguage("E")).hasMessageContaining("'E'");
  }

  @Test
  void unknownLanguagesAreRefusedWithTheValue() {
    assertThatThrownBy(() -> SapConversions.toSapLanguage("sw"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'sw'");
    assertThatThrownBy(() -> SapConversions.toIsoLanguage("Z"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Z'");
  }

  @ParameterizedTest
  @CsvSource({"1000,0000001000", "0000001000,0000001000", "4711,0000004711", " 42 ,0000000042",
      "1234567890,1234567890", "cpd-x,CPD-X", "abc1,ABC1"})
  void customerNumbersGetTheAlphaConversion(String in, String out) {
    if (out.contains("-")) {
      assertThatThrownBy(() -> SapConversions.toInternalCustomerNumber(in)).isInstanceOf(IllegalArgumentException.class);
    } else {
      assertThat(SapConversions.toInternalCustomerNumber(in)).isEqualTo(out);
      assertThat(SapConversions.toExternalCustomerNumber(in)).isEqualTo(out);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "12345678901", "ab cd"})
  void nonNumbersAreRefused(String in) {
    assertThatThrownBy(() -> SapConversions.toInternalCustomerNumber(in)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void countriesAndCurrenciesMapOneToOneInUpperCase() {
    assertThat(SapConversions.toSapCountry("de")).isEqualTo("DE");
    assertThat(SapConversions.toIsoCountry("US")).isEqualTo("US");
    assertThat(SapConversions.toSapCurrency("eur")).isEqualTo("EUR");
    assertThat(SapConversions.toIsoCurrency("USD")).isEqualTo("USD");
    assertThatThrownBy(() -> SapConversions.toSapCountry("DEU")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SapConversions.toSapCurrency("EU")).isInstanceOf(IllegalArgumentException.class);
  }
}
