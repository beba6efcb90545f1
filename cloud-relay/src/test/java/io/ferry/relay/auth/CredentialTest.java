package io.ferry.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.relay.store.Ulid;
import org.junit.jupiter.api.Test;

class CredentialTest {

  @Test
  void aGeneratedKeyParsesBackAndMatchesOnlyItsOwnHash() {
    Credential key = Credential.generate(Credential.API_KEY, Ulid.next());
    String hash = key.hash();

    Credential parsed = Credential.parse(Credential.API_KEY, key.value()).orElseThrow();

    assertThat(key.value()).startsWith("fk_" + key.id() + "_");
    assertThat(parsed).isEqualTo(key);
    assertThat(parsed.matches(hash)).isTrue();
    assertThat(hash).hasSize(64).doesNotContain(key.secret());
    Credential other = Credential.generate(Credential.API_KEY, key.id());
    assertThat(other.matches(hash)).isFalse();
  }

  @Test
  void keysOfAnotherKindOrShapeDoNotParse() {
    String apiKey = Credential.generate(Credential.API_KEY, Ulid.next()).value();

    assertThat(Credential.parse(Credential.AGENT_KEY, apiKey)).isEmpty();
    assertThat(Credential.parse(Credential.API_KEY, "fk_")).isEmpty();
    assertThat(Credential.parse(Credential.API_KEY, "fk_notanid_secret")).isEmpty();
    assertThat(Credential.parse(Credential.API_KEY, "fk_" + Ulid.next() + "_")).isEmpty();
    assertThat(Credential.parse(Credential.API_KEY, null)).isEmpty();
  }

  @Test
  void toStringNeverShowsTheSecret() {
    Credential key = Credential.generate(Credential.AGENT_KEY, Ulid.next());
    assertThat(key.toString()).doesNotContain(key.secret()).endsWith("_***");
  }

  @Test
  void aMalformedStoredHashNeverMatches() {
    assertThat(Secrets.matches("anything", "not-hex")).isFalse();
  }
}
