package io.ferry.chaos;

import io.ferry.relay.admin.RelayAdmin;
import io.ferry.relay.auth.JobSigningKey;
import io.ferry.relay.auth.SecretBox;
import io.ferry.relay.store.StoreSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

/**
 * The relays of a chaos run: their processes (each killed and restarted on its own), the URLs engines
 * spread their requests over, the URL the agent polls, and the tenant's API key and enrollment token.
 * Each deployment under test (one relay on SQLite, two on PostgreSQL, two on PostgreSQL dispatching
 * through SQS) is a factory here; the
 * supervisor and the checks do not change.
 *
 * @param relays the relay processes, with the arguments they are (re)started with
 * @param engineUrls where engines send requests (round robin)
 * @param agentUrl where the agent polls
 * @param agentSettings lines added to the agent's configuration file (its transport)
 * @param resources what the run closes at its end (a load balancer in front of the relays)
 */
record RelayCluster(String mode, List<FerryProcess> relays, List<URI> engineUrls, URI agentUrl, String apiKey,
    String enrollmentToken, List<String> agentSettings, Map<String, String> agentEnv, AutoCloseable resources)
    implements AutoCloseable {

  @Override
  public void close() throws Exception {
    resources.close();
  }

  /** Relay settings that make a kill show quickly: short leases, no rate limit, a short sync window. */
  static final List<String> CHAOS_RELAY_ARGS = List.of("--lease", "5s", "--sync-window", "3s", "--rate-limit", "0",
      "--poll-hold", "10s");

  /** One relay on its embedded SQLite store, the default deployment. */
  static RelayCluster sqlite(Path workDir, Path logDir) throws IOException {
    Path dataDir = Files.createDirectories(workDir.resolve("relay"));
    String apiKey;
    String token;
    try (RelayAdmin.Offline admin = RelayAdmin.open(dataDir)) {
      String tenant = admin.createTenant("chaos");
      apiKey = admin.createApiKey(tenant).key();
      token = admin.createEnrollmentToken(tenant, "default", Duration.ofHours(1));
    }
    int port = freePort();
    List<String> args = new ArrayList<>(List.of("relay", "serve", "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--data-dir", dataDir.toString()));
    args.addAll(CHAOS_RELAY_ARGS);
    URI url = URI.create("http://127.0.0.1:" + port);
    FerryProcess relay = new FerryProcess("relay-1", args, Map.of(), logDir);
    return new RelayCluster("sqlite, 1 relay", List.of(relay), List.of(url), url, apiKey, token, List.of(), Map.of(),
        () -> {});
  }

  /**
   * Two relays on one PostgreSQL database ({@code store}, fresh), as docs/scaling.md deploys them: each with
   * its own data directory holding the same {@code relay.key} and {@code job-signing-key.pem} (made once by
   * the bootstrap, then copied). Engines send to both relays directly, in turn, and retry on the other when
   * one is down; the agent, like a real one, knows one URL — a load balancer ({@link TcpBalancer}) that
   * spreads its connections over the relays that are up.
   */
  static RelayCluster postgres(StoreSettings store, Path workDir, Path logDir) throws IOException {
    return postgres("postgres, 2 relays", store, workDir, logDir, List.of(), Map.of(), List.of());
  }

  /**
   * Two relays on one PostgreSQL database, as {@link #postgres}, that dispatch through SQS queues on {@code
   * endpoint} (ElasticMQ in the test's JVM: it outlives every relay and agent kill, as AWS would); the agent
   * receives from them ({@code --transport sqs}) and still enrolls through the load balancer. The queue prefix is
   * the run's own, so runs never share queues.
   */
  static RelayCluster sqs(URI endpoint, StoreSettings store, Path workDir, Path logDir) throws IOException {
    String prefix = "chaos" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    Map<String, String> sqsEnv = Map.of("FERRY_SQS_REGION", "eu-central-1", "FERRY_SQS_ENDPOINT", endpoint.toString(),
        "FERRY_SQS_QUEUE_PREFIX", prefix, "FERRY_SQS_ACCESS_KEY_ID", "ferry-chaos",
        "FERRY_SQS_SECRET_ACCESS_KEY", "ferry-chaos-secret");
    return postgres("sqs, 2 relays on postgres", store, workDir, logDir, List.of("--dispatch", "sqs"), sqsEnv,
        List.of("agent.transport=sqs"));
  }

  private static RelayCluster postgres(String mode, StoreSettings store, Path workDir, Path logDir,
      List<String> relayArgs, Map<String, String> extraEnv, List<String> agentSettings) throws IOException {
    Path first = Files.createDirectories(workDir.resolve("relay-1"));
    String apiKey;
    String token;
    try (RelayAdmin.Offline admin = RelayAdmin.open(first, store)) {
      String tenant = admin.createTenant("chaos");
      apiKey = admin.createApiKey(tenant).key();
      token = admin.createEnrollmentToken(tenant, "default", Duration.ofHours(1));
    }
    Map<String, String> env = new HashMap<>();
    if (store.password() != null) {
      env.put("FERRY_RELAY_DB_PASSWORD", store.password());
    }
    env.putAll(extraEnv);
    List<FerryProcess> relays = new ArrayList<>();
    List<URI> urls = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      Path dataDir = Files.createDirectories(workDir.resolve("relay-" + i));
      if (i > 1) {
        for (String keyFile : List.of(SecretBox.KEY_FILE, JobSigningKey.FILE_NAME)) {
          Files.copy(first.resolve(keyFile), dataDir.resolve(keyFile), StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
      int port = freePort();
      List<String> args = new ArrayList<>(List.of("relay", "serve", "--host", "127.0.0.1", "--port",
          Integer.toString(port), "--data-dir", dataDir.toString(), "--store", "postgres", "--jdbc-url", store.jdbcUrl()));
      if (store.user() != null) {
        args.addAll(List.of("--db-user", store.user()));
      }
      args.addAll(CHAOS_RELAY_ARGS);
      args.addAll(relayArgs);
      relays.add(new FerryProcess("relay-" + i, args, env, logDir));
      urls.add(URI.create("http://127.0.0.1:" + port));
    }
    TcpBalancer balancer = new TcpBalancer(urls);
    return new RelayCluster(mode, List.copyOf(relays), List.copyOf(urls), balancer.url(), apiKey, token,
        agentSettings, extraEnv, balancer);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
