package io.ferry.agent.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoreTest {

  @TempDir Path dir;

  @Test
  void aSecretIsStoredEncryptedAndReadBack() throws Exception {
    SecretStore store = SecretStore.in(dir);
    store.put("sap-password", "Sap-Pw-Unique-7731");
    store.put("proxy.password", "Proxy-Pw-Unique-1893");

    assertThat(SecretStore.in(dir).get("sap-password")).contains("Sap-Pw-Unique-7731");
    assertThat(store.names()).containsExactly("proxy.password", "sap-password");
    assertThat(store.get("missing")).isEmpty();
    String file = Files.readString(store.file());
    assertThat(file).contains("sap-password").doesNotContain("Sap-Pw-Unique-7731", "Proxy-Pw-Unique-1893");
  }

  @Test
  void theKeyAndTheFileAreOwnerOnly() throws Exception {
    SecretStore store = SecretStore.in(dir);
    store.put("a", "value");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.keyFile()))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
  }

  @Test
  void aKeyOthersCanReadIsRefused() throws Exception {
    SecretStore store = SecretStore.in(dir);
    store.put("a", "value");
    Files.setPosixFilePermissions(store.keyFile(), PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> store.get("a")).isInstanceOf(SecretsException.class).hasMessageContaining("chmod 600");
  }

  @Test
  void eachEntryHasItsOwnNonceAndIsBoundToItsName() throws Exception {
    SecretStore store = SecretStore.in(dir);
    store.put("one", "same value");
    store.put("two", "same value");
    String json = Files.readString(store.file());
    com.fasterxml.jackson.databind.JsonNode secrets = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json)
        .path("secrets");
    assertThat(secrets.path("one").path("nonce").asText()).isNotEqualTo(secrets.path("two").path("nonce").asText());
    assertThat(java.util.Base64.getDecoder().decode(secrets.path("one").path("nonce").asText())).hasSize(12);

    // Moving an encrypted value under another name is noticed (the name is authenticated data).
    String swapped = json.replace("\"one\"", "\"tmp\"").replace("\"two\"", "\"one\"").replace("\"tmp\"", "\"two\"");
    Files.delete(store.file());
    Files.writeString(store.file(), swapped, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> store.get("one")).isInstanceOf(SecretsException.class)
        .hasMessageContaining("cannot be decrypted").hasMessageNotContaining("same value");
  }

  @Test
  void namesAreChecked() {
    assertThatThrownBy(() -> SecretStore.in(dir).put("bad name", "v")).hasMessageContaining("cannot name a secret");
    assertThat(SecretStore.validName("sap-password")).isTrue();
  }
}
