package io.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Protocol;
import io.ferry.relay.admin.RelayAdmin;
import io.ferry.relay.auth.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The demo's two API keys, kept in its data directory so that a second {@code ferry demo} on the same
 * directory prints the keys of the first: the relay stores only their hashes, so this file is the only
 * place they can be read again. Demo only — a real tenant's keys are shown once and kept by the operator.
 */
record DemoKeys(String apiKey, String adminKey) {

  static final String FILE_NAME = "demo-keys.properties";
  private static final ObjectMapper JSON = Protocol.json();

  /** The keys in {@code dir}'s file when the relay still accepts both for {@code tenant}; else new ones, saved. */
  static DemoKeys reuseOrCreate(Path dir, RelayAdmin admin, String tenant) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    if (Files.isRegularFile(file)) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      }
      String apiKey = p.getProperty("api-key");
      String adminKey = p.getProperty("admin-key");
      if (tenant.equals(p.getProperty("tenant")) && usable(admin, tenant, apiKey) && usable(admin, tenant, adminKey)) {
        return new DemoKeys(apiKey, adminKey);
      }
    }
    DemoKeys keys = new DemoKeys(admin.createApiKey(tenant).key(),
        admin.createApiKey(tenant, Set.of(Scope.ADMIN), null).key());
    Properties p = new Properties();
    p.setProperty("tenant", tenant);
    p.setProperty("api-key", keys.apiKey());
    p.setProperty("admin-key", keys.adminKey());
    Files.createDirectories(dir);
    Files.deleteIfExists(file);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    try (OutputStream o = Files.newOutputStream(file)) {
      p.store(o, "ferry demo: the demo tenant's API keys, reused by the next demo on this directory");
    }
    return keys;
  }

  /** Whether the key (fk_{id}_{secret}) is one of the tenant's, neither revoked nor expired. */
  private static boolean usable(RelayAdmin admin, String tenant, String key) {
    if (key == null || !key.startsWith("fk_") || key.indexOf('_', 3) < 0) {
      return false;
    }
    String id = key.substring(3, key.indexOf('_', 3));
    Instant now = Instant.now();
    return admin.apiKeys(tenant).stream().anyMatch(k -> k.id().equals(id) && k.revokedAt() == null
        && (k.expiresAt() == null || k.expiresAt().isAfter(now)));
  }

  /**
   * The number the printed upsert of CRM-0001 answers: the customer's own when SAP has it already (asked
   * through the relay, as an engine would), else the next number of the simulated system's range.
   */
  static Sample sampleCustomer(URI url, String apiKey, java.util.function.Supplier<String> nextNumber) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(url + "/v1/customers?search=" + URLEncoder.encode("CRM-0001", StandardCharsets.UTF_8)))
              .header("X-API-Key", apiKey).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        for (JsonNode c : JSON.readTree(r.body()).path("value")) {
          if ("CRM-0001".equalsIgnoreCase(c.path("externalId").asText())) {
            return new Sample(c.path("customerNumber").asText(), true);
          }
        }
      }
    } catch (IOException e) {
      // Only the printed hint depends on it: the next number is right unless CRM-0001 exists.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new Sample(nextNumber.get(), false);
  }

  /** The sample customer's number, and whether SAP has it already (the upsert then updates it). */
  record Sample(String number, boolean exists) {}

  /** The next number of the JCo simulator's range, from its data file; {@code first} when there is none yet. */
  static String simulatorNextNumber(Path simulatorFile, String first) {
    try {
      if (Files.isRegularFile(simulatorFile)) {
        JsonNode next = JSON.readTree(simulatorFile.toFile()).path("nextCustomerNumber");
        if (next.canConvertToLong()) {
          return String.format("%010d", next.asLong());
        }
      }
    } catch (IOException e) {
      // A file the simulator could not read either: it starts from the seed, numbering from the first.
    }
    return first;
  }

  @Override
  public String toString() {
    return "DemoKeys[****]";
  }
}
