package io.ferry.agent.sap.odata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client certificate is loaded from a PKCS#12 key store that keytool generates for the test. */
class ClientCertificatesTest {

  private static final String URL = "https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER";

  @Test
  void aGeneratedKeyStoreLoadsAndTheBackendIsBuiltWithIt(@TempDir Path dir) throws Exception {
    Path p12 = dir.resolve("client.p12");
    keytool("-genkeypair", "-alias", "ferry-agent", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=FERRY_ODATA", "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", "Cert-Pw-1");

    ClientCertificates.Tls tls = ClientCertificates.load(p12, "Cert-Pw-1");
    assertThat(tls.alias()).isEqualTo("ferry-agent");
    assertThat(tls.socketFactory()).isNotNull();
    assertThat(tls.trustManager().getAcceptedIssuers()).isNotEmpty();

    ODataSettings settings = new ODataSettings(URI.create(URL), "100", null, null, p12, "Cert-Pw-1", null, null, null,
        null, null);
    try (ODataBackend backend = new ODataBackend(settings)) {
      assertThat(backend.name()).isEqualTo("odata");
    }
  }

  @Test
  void aWrongPasswordOrAFileWithoutKeyIsNamedWithItsSetting(@TempDir Path dir) throws Exception {
    Path p12 = dir.resolve("client.p12");
    keytool("-genkeypair", "-alias", "ferry-agent", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=FERRY_ODATA", "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", "Cert-Pw-1");
    assertThatThrownBy(() -> ClientCertificates.load(p12, "wrong"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sap.odata.client-certificate")
        .hasMessageContaining("FERRY_SAP_CERT_PASSWORD")
        .hasMessageNotContaining("Cert-Pw-1");

    Path cer = dir.resolve("client.cer");
    keytool("-exportcert", "-alias", "ferry-agent", "-keystore", p12.toString(), "-storepass", "Cert-Pw-1",
        "-file", cer.toString());
    Path trustOnly = dir.resolve("trust.p12");
    keytool("-importcert", "-noprompt", "-alias", "sap", "-file", cer.toString(), "-storetype", "PKCS12",
        "-keystore", trustOnly.toString(), "-storepass", "Cert-Pw-1");
    assertThatThrownBy(() -> ClientCertificates.load(trustOnly, "Cert-Pw-1"))
        .hasMessageContaining("holds no private key");

    Path garbage = Files.writeString(dir.resolve("garbage.p12"), "not a key store");
    assertThatThrownBy(() -> ClientCertificates.load(garbage, "x")).hasMessageContaining("cannot be read as a PKCS#12");
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(p.exitValue()).as("keytool %s: %s", args[0], output).isZero();
  }
}
