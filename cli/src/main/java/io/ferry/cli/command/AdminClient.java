package io.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Protocol;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Calls the relay's admin API with an admin key. Problems become {@link UserFacingException}s with
 * the relay's detail and an exit code: 401/403 not authorized, 400/422 usage, 404 not found, 409 conflict,
 * anything else failed.
 */
final class AdminClient {

  private static final ObjectMapper JSON = Protocol.json();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final String key;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  AdminClient(URI base, String key) {
    this.base = base;
    this.key = key;
  }

  JsonNode get(String path) {
    return send(request(path).GET());
  }

  JsonNode post(String path, Object body) {
    try {
      return send(request(path).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("could not write the request", e);
    }
  }

  JsonNode delete(String path) {
    return send(request(path).DELETE());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
        .header("X-API-Key", key).header("Accept", "application/json");
  }

  private JsonNode send(HttpRequest.Builder request) {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new UserFacingException(ExitCode.FAILED, "cannot connect to the relay at " + base + "; is it running?");
    } catch (HttpTimeoutException e) {
      throw new UserFacingException(ExitCode.FAILED, "the relay at " + base + " did not answer in time");
    } catch (IOException e) {
      throw new UserFacingException(ExitCode.FAILED, "cannot talk to the relay at " + base + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserFacingException(ExitCode.FAILED, "interrupted");
    }
    int status = response.statusCode();
    JsonNode body = parse(response.body());
    if (status >= 200 && status < 300) {
      return body;
    }
    String detail = body.path("detail").asText(null);
    String code = body.path("code").asText(null);
    String message = "the relay answered " + status + (code == null ? "" : " " + code) + ": "
        + (detail == null ? response.body() : detail);
    int exit = switch (status) {
      case 401, 403 -> ExitCode.NOT_AUTHORIZED;
      case 400, 422 -> ExitCode.USAGE;
      case 404 -> ExitCode.NOT_FOUND;
      case 409 -> ExitCode.CONFLICT;
      default -> ExitCode.FAILED;
    };
    throw new UserFacingException(exit, message);
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
