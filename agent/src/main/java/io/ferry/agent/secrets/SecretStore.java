package io.ferry.agent.secrets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The agent's encrypted secrets file, referred to from its configuration as {@code ${secret:NAME}}.
 *
 * <p>{@code secrets.json} holds each secret encrypted with AES-256-GCM under its own random 96-bit nonce,
 * the name as additional authenticated data (so a value cannot be moved to another name unnoticed); the
 * key is in {@code secrets.key} beside it, owner-only from its first byte ({@link OwnerOnlyFiles}). The
 * file on its own reveals only the names. Back up both together; lose the key and the secrets are gone.
 *
 * <p>Nothing here puts a value into a message or a log line.
 */
public final class SecretStore {

  public static final String FILE_NAME = "secrets.json";
  public static final String KEY_FILE_NAME = "secrets.key";
  private static final String FORMAT = "ferry-secrets/1 AES-256-GCM";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper JSON = Protocol.json();

  private final Path file;
  private final Path keyFile;

  private SecretStore(Path dir) {
    this.file = dir.resolve(FILE_NAME);
    this.keyFile = dir.resolve(KEY_FILE_NAME);
  }

  /** The store in {@code dir} (the agent's data directory); nothing is created until a secret is set. */
  public static SecretStore in(Path dir) {
    return new SecretStore(dir);
  }

  public Path file() {
    return file;
  }

  public Path keyFile() {
    return keyFile;
  }

  /** Whether {@code name} can name a secret: letters, digits, {@code . _ -}, up to 64 characters. */
  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** The names of the secrets, sorted. */
  public SortedSet<String> names() {
    return new TreeSet<>(read().keySet());
  }

  /** The secret's value, decrypted; empty when there is no such secret. */
  public Optional<String> get(String name) {
    Entry e = read().get(name);
    if (e == null) {
      return Optional.empty();
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key(false), new GCMParameterSpec(TAG_BITS, e.nonce()));
      c.updateAAD(name.getBytes(StandardCharsets.UTF_8));
      return Optional.of(new String(c.doFinal(e.ciphertext()), StandardCharsets.UTF_8));
    } catch (AEADBadTagException x) {
      throw new SecretsException("secret " + name + " in " + file + " cannot be decrypted: the file was changed, or "
          + keyFile + " is not the key it was written with. Set the secret again with `ferry agent secrets set " + name + "`");
    } catch (GeneralSecurityException x) {
      throw new SecretsException("secret " + name + " cannot be decrypted: " + x.getClass().getSimpleName());
    }
  }

  /** Stores (or replaces) the secret; creates the key on first use. */
  public void put(String name, String value) {
    requireName(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("the value of secret " + name + " is empty");
    }
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key(true), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(name.getBytes(StandardCharsets.UTF_8));
      byte[] ciphertext = c.doFinal(value.getBytes(StandardCharsets.UTF_8));
      Map<String, Entry> all = read();
      all.put(name, new Entry(nonce, ciphertext));
      write(all);
    } catch (GeneralSecurityException x) {
      throw new SecretsException("secret " + name + " cannot be encrypted: " + x.getClass().getSimpleName());
    }
  }

  /** Removes the secret; false when there was none. */
  public boolean remove(String name) {
    Map<String, Entry> all = read();
    if (all.remove(name) == null) {
      return false;
    }
    write(all);
    return true;
  }

  private static void requireName(String name) {
    if (!validName(name)) {
      throw new IllegalArgumentException("'" + name + "' cannot name a secret: use letters, digits, '.', '_' and '-' "
          + "(up to 64 characters), starting with a letter or digit");
    }
  }

  private SecretKey key(boolean create) {
    try {
      if (!Files.exists(keyFile)) {
        if (!create) {
          throw new SecretsException("the key of the secrets file, " + keyFile + ", is missing; restore it from the backup "
              + "of " + file + ", or set the secrets again");
        }
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        OwnerOnlyFiles.write(keyFile, Base64.getEncoder().encode(key));
      }
      OwnerOnlyFiles.requireOwnerOnly(keyFile);
      byte[] key = Base64.getMimeDecoder().decode(Files.readAllBytes(keyFile));
      if (key.length != KEY_BYTES) {
        throw new SecretsException(keyFile + " is not a Ferry secrets key (" + KEY_BYTES + " bytes, base64)");
      }
      return new SecretKeySpec(key, "AES");
    } catch (IOException e) {
      throw new SecretsException("cannot read the key " + keyFile + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new SecretsException(keyFile + " is not a Ferry secrets key (not base64)");
    }
  }

  private Map<String, Entry> read() {
    Map<String, Entry> out = new TreeMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
      if (!FORMAT.equals(root.path("format").asText())) {
        throw new SecretsException(file + " is not a Ferry secrets file (format " + root.path("format").asText() + ")");
      }
      Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = root.path("secrets").fields();
      Base64.Decoder b64 = Base64.getDecoder();
      while (it.hasNext()) {
        var e = it.next();
        out.put(e.getKey(), new Entry(b64.decode(e.getValue().path("nonce").asText()),
            b64.decode(e.getValue().path("ciphertext").asText())));
      }
      return out;
    } catch (IOException | ClassCastException | IllegalArgumentException e) {
      throw new SecretsException(file + " cannot be read as a Ferry secrets file: " + e.getClass().getSimpleName());
    }
  }

  private void write(Map<String, Entry> all) {
    ObjectNode root = JSON.createObjectNode().put("format", FORMAT);
    ObjectNode secrets = root.putObject("secrets");
    Base64.Encoder b64 = Base64.getEncoder();
    all.forEach((name, e) -> secrets.putObject(name)
        .put("nonce", b64.encodeToString(e.nonce()))
        .put("ciphertext", b64.encodeToString(e.ciphertext())));
    try {
      Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
      Files.deleteIfExists(tmp);
      OwnerOnlyFiles.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private record Entry(byte[] nonce, byte[] ciphertext) {}

  @Override
  public String toString() {
    return "SecretStore[" + file + "]";
  }
}
