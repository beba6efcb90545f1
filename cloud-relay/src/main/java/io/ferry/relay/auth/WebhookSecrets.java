package io.ferry.relay.auth;

import io.ferry.relay.store.AccessStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Webhook signing secrets in the Standard Webhooks form: {@code whsec_} and the base64 of 32 random
 * bytes (the bytes are the HMAC key). One per API key, made with it and shown once; the relay keeps
 * it sealed by {@link SecretBox} because it has to sign with it again.
 */
public final class WebhookSecrets {

  public static final String PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AccessStore store;
  private final SecretBox box;

  public WebhookSecrets(AccessStore store, SecretBox box) {
    this.store = store;
    this.box = box;
  }

  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getEncoder().encodeToString(bytes);
  }

  /** The HMAC key of the API key's webhook secret; empty for a key made before webhook secrets existed. */
  public Optional<byte[]> signingKey(String apiKeyId) {
    return store.findApiKey(apiKeyId)
        .map(AccessStore.ApiKeyRecord::webhookSecret)
        .map(sealed -> box.open(sealed, apiKeyId))
        .map(WebhookSecrets::keyBytes);
  }

  /** Whether the key has a webhook secret (callbacks need one). */
  public boolean hasSecret(String apiKeyId) {
    return store.findApiKey(apiKeyId).map(r -> r.webhookSecret() != null).orElse(false);
  }

  /** The HMAC key inside a {@code whsec_…} secret. */
  public static byte[] keyBytes(String secret) {
    return Base64.getDecoder().decode(secret.substring(PREFIX.length()));
  }
}
