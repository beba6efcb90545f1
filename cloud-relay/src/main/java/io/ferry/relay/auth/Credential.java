package io.ferry.relay.auth;

import io.ferry.relay.store.Ulid;
import java.util.Optional;

/**
 * A key or token as handed out: {@code <prefix><id>_<secret>}. The id is not secret and finds the
 * stored hash by index; the whole string is what is hashed, so the id cannot be swapped.
 *
 * <p>Prefixes make a leaked secret recognisable (secret scanners, log reviews) and tell the kinds
 * apart: {@code fk_} engine API key, {@code fa_} agent key, {@code fe_} enrollment token. Public for
 * {@link io.ferry.relay.admin.StoreAdmin}, which mints keys and tokens.
 */
public record Credential(String prefix, String id, String secret) {

  public static final String API_KEY = "fk_";
  public static final String AGENT_KEY = "fa_";
  public static final String ENROLLMENT_TOKEN = "fe_";

  public static Credential generate(String prefix, String id) {
    return new Credential(prefix, id, Secrets.newSecret());
  }

  /** Splits a presented value; empty when it is not of this kind. */
  public static Optional<Credential> parse(String prefix, String presented) {
    if (presented == null || !presented.startsWith(prefix)) {
      return Optional.empty();
    }
    String rest = presented.substring(prefix.length());
    int sep = rest.indexOf('_');
    if (sep < 0 || sep == rest.length() - 1) {
      return Optional.empty();
    }
    String id = rest.substring(0, sep);
    if (!Ulid.looksLike(id)) {
      return Optional.empty();
    }
    return Optional.of(new Credential(prefix, id, rest.substring(sep + 1)));
  }

  public String value() {
    return prefix + id + "_" + secret;
  }

  public String hash() {
    return Secrets.sha256Hex(value());
  }

  boolean matches(String storedHash) {
    return Secrets.matches(value(), storedHash);
  }

  /** Never print the secret. */
  @Override
  public String toString() {
    return prefix + id + "_***";
  }
}
