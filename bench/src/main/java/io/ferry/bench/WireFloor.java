package io.ferry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * The wire floor: what the hot path of a create costs on this machine with Ferry's own stack (Javalin/Jetty,
 * OkHttp's WebSocket, Jackson, SQLite in WAL with group commit) and Ferry's durability, but none of Ferry's logic.
 * A "relay" process takes {@code POST /x} (a JSON body the size of a customer create), commits it (fsynced), sends it
 * over a WebSocket to an "agent" process, which commits a RUNNING row (fsynced), then the outcome (not fsynced, as
 * the agent's journal does), and answers; the relay commits the answer (fsynced) and answers the POST. No
 * authentication, no MAC, no policy, no SAP, no metrics, no logging, no lease, no audit row: every hand-off is
 * asynchronous (no thread waits for a commit).
 *
 * <p>It answers one question the benchmark's targets raise: how much CPU per create is left for Ferry's own work
 * once the transport and the disk have taken theirs — the bench's {@code wire} mode, measured like the processes
 * mode beside it ({@code bench/ferry-bench --modes processes,wire --scenarios sync}).
 */
public final class WireFloor {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  private WireFloor() {}

  public static void main(String[] args) throws Exception {
    switch (args.length > 0 ? args[0] : "") {
      case "relay" -> relay(Path.of(args[1]));
      case "agent" -> agent(args[1], Path.of(args[2]));
      default -> throw new IllegalArgumentException("a wire floor process is started by the bench: "
          + "bench/ferry-bench --modes wire");
    }
  }

  /** One SQLite writer thread: the writes queued while a commit waits for the disk are committed together. */
  private static final class GroupWriter {
    private record Write(String sql, String a, String b, boolean durable, CompletableFuture<Void> done) {}

    private final BlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final Connection db;
    /** Prepared once each; used by the writer thread alone. */
    private final Map<String, PreparedStatement> statements = new java.util.HashMap<>();

    GroupWriter(Path file) throws SQLException {
      db = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = db.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("CREATE TABLE IF NOT EXISTS job (id TEXT PRIMARY KEY, body TEXT, state TEXT, result TEXT)");
      }
      // Explicit BEGIN and COMMIT on an auto-commit connection, as Ferry's stores: the synchronous mode can only be
      // changed between transactions.
      Thread.ofPlatform().name("writer").daemon().start(this::loop);
    }

    CompletableFuture<Void> write(String sql, String a, String b, boolean durable) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      queue.add(new Write(sql, a, b, durable, done));
      return done;
    }

    private void loop() {
      List<Write> group = new ArrayList<>();
      boolean full = false;
      try (Statement s = db.createStatement(); PreparedStatement begin = db.prepareStatement("BEGIN");
          PreparedStatement commit = db.prepareStatement("COMMIT")) {
        while (true) {
          group.add(queue.take());
          queue.drainTo(group, 255);
          boolean durable = group.stream().anyMatch(Write::durable);
          if (durable != full) {
            s.execute(durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
            full = durable;
          }
          begin.execute();
          for (Write w : group) {
            PreparedStatement ps = statements.get(w.sql);
            if (ps == null) {
              ps = db.prepareStatement(w.sql);
              statements.put(w.sql, ps);
            }
            ps.setString(1, w.a);
            ps.setString(2, w.b);
            ps.executeUpdate();
          }
          commit.execute();
          for (Write w : group) {
            w.done.complete(null);
          }
          group.clear();
        }
      } catch (Exception e) {
        e.printStackTrace();
        System.exit(3);
      }
    }
  }

  private static void relay(Path dir) throws Exception {
    GroupWriter writer = new GroupWriter(dir.resolve("relay.db"));
    Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
    AtomicReference<WsContext> agent = new AtomicReference<>();
    AtomicLong ids = new AtomicLong();
    Javalin app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.startupWatcherEnabled = false;
      cfg.routes.post("/x", ctx -> {
        JsonNode body = JSON.readTree(ctx.bodyAsBytes());
        String id = Long.toString(ids.incrementAndGet());
        CompletableFuture<String> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        String text = JSON.writeValueAsString(body);
        writer.write("INSERT INTO job (id, body, state) VALUES (?, ?, 'LEASED')", id, text, true).thenRun(() -> {
          ObjectNode frame = JSON.createObjectNode().put("id", id);
          frame.set("body", body);
          agent.get().send(frame.toString());
        });
        ctx.future(() -> answer.thenAccept(result -> ctx.contentType("application/json").result(result)));
      });
      cfg.routes.ws("/ws", ws -> {
        ws.onConnect(ctx -> {
          ctx.session.setIdleTimeout(java.time.Duration.ofHours(1));
          agent.set(ctx);
        });
        ws.onMessage(ctx -> {
          JsonNode frame = JSON.readTree(ctx.message());
          String id = frame.get("id").asText();
          String result = frame.get("result").toString();
          writer.write("UPDATE job SET state = 'DONE', result = ?2 WHERE id = ?1", id, result, true)
              .thenRun(() -> waiting.remove(id).complete(result));
        });
      });
    }).start("127.0.0.1", 0);
    System.out.println("READY " + app.port());
    System.out.flush();
    Thread.currentThread().join();
  }

  private static void agent(String url, Path dir) throws Exception {
    GroupWriter writer = new GroupWriter(dir.resolve("journal.db"));
    OkHttpClient http = new OkHttpClient.Builder().readTimeout(0, TimeUnit.SECONDS).build();
    CountDownLatch open = new CountDownLatch(1);
    http.newWebSocket(new Request.Builder().url(url).build(), new WebSocketListener() {
      @Override
      public void onOpen(WebSocket ws, Response response) {
        open.countDown();
      }

      @Override
      public void onMessage(WebSocket ws, String text) {
        try {
          JsonNode frame = JSON.readTree(text);
          String id = frame.get("id").asText();
          JsonNode body = frame.get("body");
          writer.write("INSERT INTO job (id, body, state) VALUES (?, ?, 'RUNNING')", id, body.toString(), true)
              .thenCompose(x -> {
                ObjectNode result = JSON.createObjectNode().put("customerNumber", "00" + id);
                result.set("customer", body);
                String text2 = result.toString();
                return writer.write("UPDATE job SET state = 'PENDING', result = ?2 WHERE id = ?1", id, text2, false)
                    .thenRun(() -> {
                      ObjectNode answer = JSON.createObjectNode().put("id", id);
                      answer.set("result", result);
                      ws.send(answer.toString());
                    });
              });
        } catch (Exception e) {
          e.printStackTrace();
        }
      }

      @Override
      public void onFailure(WebSocket ws, Throwable t, Response response) {
        t.printStackTrace();
        System.exit(4);
      }
    });
    open.await();
    System.out.println("READY");
    System.out.flush();
    Thread.currentThread().join();
  }

  /** The two processes, started in {@code dir}; the bench's callers POST to the relay. */
  static Mode.Target start(Path dir) throws Exception {
    Files.createDirectories(dir);
    Process relay = child(dir, "wire-relay.log", List.of(), "relay", dir.toString());
    Process agent = null;
    try {
      int port = Integer.parseInt(ready(relay).substring("READY ".length()));
      // The agent's JVM options as install/bin/ferry gives them (C1 only, serial GC, 64 MB), as for Ferry's agent.
      agent = child(dir, "wire-agent.log", AgentFootprint.agentJvmOptions(), "agent", "ws://127.0.0.1:" + port + "/ws",
          dir.toString());
      ready(agent);
      return new Floor(relay, agent, "http://127.0.0.1:" + port + "/x");
    } catch (Exception | Error e) {
      relay.destroy();
      if (agent != null) {
        agent.destroy();
      }
      throw e;
    }
  }

  private static Process child(Path dir, String log, List<String> jvm, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.addAll(jvm);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(WireFloor.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(dir.resolve(log).toFile()).start();
  }

  private static String ready(Process p) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("READY")) {
      throw new IllegalStateException("a wire floor process did not start (" + line + "); see wire-*.log in the work "
          + "directory");
    }
    return line;
  }

  /** The started floor: a create is one POST, answered once both commits on both sides are done. */
  private static final class Floor implements Mode.Target {
    private final Process relay;
    private final Process agent;
    private final String url;
    private final OkHttpClient http = new OkHttpClient.Builder()
        .connectionPool(new okhttp3.ConnectionPool(512, 5, TimeUnit.MINUTES)).build();

    Floor(Process relay, Process agent, String url) {
      this.relay = relay;
      this.agent = agent;
      this.url = url;
    }

    @Override
    public void create(long seq) throws Exception {
      String body = Workload.customerJson("WIRE-" + seq);
      try (Response r = http.newCall(new Request.Builder().url(url).post(RequestBody.create(body, JSON_TYPE)).build())
          .execute()) {
        if (r.code() != 200) {
          throw new java.io.IOException("the wire floor's relay answered " + r.code());
        }
        r.body().bytes();
      }
    }

    @Override
    public List<Mode.Measured> processes() {
      return List.of(new Mode.Measured("relay", relay.pid()), new Mode.Measured("agent", agent.pid()));
    }

    @Override
    public void close() {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
      relay.destroy();
      agent.destroy();
    }
  }
}
