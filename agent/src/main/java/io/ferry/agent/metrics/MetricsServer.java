package io.ferry.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's optional local endpoint, on the JDK's own HTTP server (no web stack in the agent):
 * {@code GET /metrics} (Prometheus text) and {@code GET /healthz} (liveness). One thread: a scrape is
 * short, and nobody but the local monitoring agent should call it.
 */
public final class MetricsServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService thread;

  private MetricsServer(HttpServer server, ExecutorService thread) {
    this.server = server;
    this.thread = thread;
  }

  /** Listens as {@code settings} say; call only when they are enabled. */
  public static MetricsServer start(MetricsSettings settings, AgentMetrics metrics) throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 16);
    } catch (IOException e) {
      throw new IOException("FERRY-AGENT-0020 cannot listen for metrics on " + settings.host() + ":" + settings.port()
          + " (" + e.getMessage() + "); choose a free agent.metrics.port", e);
    }
    server.createContext("/metrics", exchange -> answer(exchange, 200, PROMETHEUS_TEXT, metrics.scrape()));
    server.createContext("/healthz", exchange -> answer(exchange, 200, "application/json", "{\"status\":\"UP\"}"));
    server.createContext("/", exchange -> answer(exchange, 404, "application/json",
        "{\"status\":404,\"detail\":\"the agent serves GET /metrics and GET /healthz only\"}"));
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "ferry-metrics");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(thread);
    server.start();
    log.info("FERRY-AGENT-0021 metrics on http://{}:{}/metrics", settings.host(), server.getAddress().getPort());
    return new MetricsServer(server, thread);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
        status = 405;
        contentType = "application/json";
        body = "{\"status\":405,\"detail\":\"only GET\"}";
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    thread.shutdownNow();
  }
}
