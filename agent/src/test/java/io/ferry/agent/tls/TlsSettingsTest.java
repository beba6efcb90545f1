package io.ferry.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSettingsTest {

  @TempDir Path dir;

  @Test
  void aPinMustBeASha256OfAPublicKey() {
    String pin = "sha256/" + "A".repeat(43) + "=";
    assertThat(new TlsSettings(null, List.of(pin)).pins()).containsExactly(pin);
    assertThat(new TlsSettings(null, List.of("A".repeat(43) + "=")).pins()).containsExactly(pin);
    assertThatThrownBy(() -> new TlsSettings(null, List.of("sha1/abc"))).hasMessageContaining("agent.tls.pin must be sha256/");
  }

  @Test
  void theCaFileMustHoldPemCertificates() throws Exception {
    assertThatThrownBy(() -> new TlsSettings(dir.resolve("nope.pem"), List.of()))
        .hasMessageContaining("agent.tls.ca-file names no readable file");
    Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate");
    assertThatThrownBy(() -> new TlsSettings(junk, List.of())).hasMessageContaining("agent.tls.ca-file");
  }
}
