package io.ferry.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A loopback HTTP proxy in front of the real SQS-compatible server that passes every call on, and for the
 * {@code SendMessage} and {@code SendMessageBatch} calls a test picks, passes the call on (SQS queues the message) and then answers the
 * caller 500: the send succeeded, the sender saw an error. Speaks the AWS JSON protocol the SDK uses.
 */
final class FaultySqs implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Sends, one message or a batch of them (a batch with a picked message is answered 500 as a whole). */
  private static final Set<String> SENDS = Set.of("AmazonSQS.SendMessage", "AmazonSQS.SendMessageBatch");
  private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect",
      "upgrade", "transfer-encoding");

  private final URI target;
  private final Predicate<JsonNode> failAfterSending;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  /** The message bodies of every send passed on, in order. */
  private final List<String> sent = new CopyOnWriteArrayList<>();

  /** @param failAfterSending picks, by its message body (the job envelope), the sends answered 500 after SQS took them */
  FaultySqs(URI target, Predicate<JsonNode> failAfterSending) throws IOException {
    this.target = target;
    this.failAfterSending = failAfterSending;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(threads); // the relay's receives wait 20 s each: one thread per call
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Message bodies of the SendMessage calls passed on so far. */
  List<String> sent() {
    return sent;
  }

  /** Waits until a SendMessage whose message body matches was passed on; false when {@code timeout} passed first. */
  boolean awaitSend(Predicate<String> message, java.time.Duration timeout) throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    synchronized (sent) {
      while (sent.stream().noneMatch(message)) {
        long left = until - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(sent, left);
      }
      return true;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
          .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
        if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
          h.getValue().forEach(v -> request.header(h.getKey(), v));
        }
      }
      HttpResponse<byte[]> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      String action = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      if (SENDS.contains(action) && answer.statusCode() == 200) {
        JsonNode call = JSON.readTree(body);
        List<String> messages = new java.util.ArrayList<>();
        if ("AmazonSQS.SendMessage".equals(action)) {
          messages.add(call.path("MessageBody").asText());
        } else {
          call.path("Entries").forEach(entry -> messages.add(entry.path("MessageBody").asText()));
        }
        synchronized (sent) {
          sent.addAll(messages);
          sent.notifyAll();
        }
        boolean fail = false;
        for (String message : messages) {
          fail |= failAfterSending.test(JSON.readTree(message));
        }
        if (fail) {
          byte[] error = "{\"__type\":\"InternalFailure\",\"message\":\"injected after the send\"}"
              .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
          exchange.sendResponseHeaders(500, error.length);
          exchange.getResponseBody().write(error);
          return;
        }
      }
      answer.headers().map().forEach((k, v) -> {
        if (!NOT_FORWARDED.contains(k.toLowerCase(java.util.Locale.ROOT)) && !k.startsWith(":")) {
          v.forEach(value -> exchange.getResponseHeaders().add(k, value));
        }
      });
      exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
      exchange.getResponseBody().write(answer.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
    client.close();
  }
}
