package io.ferry.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Protocol;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A workflow engine as the relay sees it: plain HTTP calls with an API key. */
final class Engine {

  record Answer(int status, HttpResponse<String> raw, JsonNode body) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  private static final ObjectMapper JSON = Protocol.json();
  private final HttpClient http;
  private final URI base;
  private final String apiKey;

  Engine(URI base, String apiKey) {
    this(base, apiKey, null);
  }

  /** @param tls trusts the relay's certificate over HTTPS; null for the JDK's defaults */
  Engine(URI base, String apiKey, javax.net.ssl.SSLContext tls) {
    this.base = base;
    this.apiKey = apiKey;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      b.sslContext(tls);
    }
    this.http = b.build();
  }

  Answer post(String path, String json, String... headers) throws Exception {
    return send(request(path, headers).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Answer patch(String path, String json, String... headers) throws Exception {
    return send(request(path, headers).header("Content-Type", "application/merge-patch+json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
  }

  /** A body of another media type (a CSV batch). */
  Answer post(String path, String body, String contentType, String[] headers) throws Exception {
    return send(request(path, headers).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** The answer's body as text (a CSV download). */
  String getText(String path, String... headers) throws Exception {
    HttpResponse<String> r = http.send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  Answer put(String path, String json, String... headers) throws Exception {
    return send(request(path, headers).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** A path below the relay, or an absolute URL such as a nextLink. */
  Answer get(String path, String... headers) throws Exception {
    return send(request(path, headers).GET());
  }

  /** Follows an absolute Location the way Power Automate's async pattern does, until the answer is final. */
  Answer awaitOperation(String location, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Answer a = send(HttpRequest.newBuilder(URI.create(location)).timeout(Duration.ofSeconds(30)).header("X-API-Key", apiKey).GET());
      if (a.status() != 202 || System.nanoTime() > deadline) {
        return a;
      }
      Thread.sleep(100); // the client's own polling interval, not a wait for an event
    }
  }

  private HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
    if (apiKey != null) {
      b.header("X-API-Key", apiKey);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  private Answer send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
    return new Answer(r.statusCode(), r, body);
  }
}
