package io.ferry.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SqsSettingsTest {

  @Test
  void describeMasksTheSecretAndShortensTheKeyId() {
    SqsSettings s = SqsSettings.defaults("eu-central-1").withCredentials("AKIAEXAMPLE12345", "wJalrXUtnFEMI-secret");
    assertThat(s.describe()).doesNotContain("wJalrXUtnFEMI-secret").doesNotContain("AKIAEXAMPLE12345")
        .contains("AKIA****").contains("sqs.region=eu-central-1");
    assertThat(s.toString()).doesNotContain("wJalrXUtnFEMI-secret");
    assertThat(SqsSettings.defaults("eu-central-1").describe()).contains("AWS default chain");
  }

  @Test
  void invalidSettingsAreRefusedWithTheSettingNamed() {
    assertThatThrownBy(() -> SqsSettings.defaults("Frankfurt")).hasMessageContaining("sqs.region")
        .hasMessageContaining("Frankfurt");
    assertThatThrownBy(() -> SqsSettings.defaults("eu-central-1").withQueuePrefix("ferry.prod"))
        .hasMessageContaining("sqs.queue-prefix");
    assertThatThrownBy(() -> SqsSettings.defaults("eu-central-1").withEndpoint(URI.create("sqs.local")))
        .hasMessageContaining("sqs.endpoint");
    assertThatThrownBy(() -> SqsSettings.defaults("eu-central-1").withCredentials("AKIA", null))
        .hasMessageContaining("sqs.access-key-id and sqs.secret-access-key go together");
  }
}
