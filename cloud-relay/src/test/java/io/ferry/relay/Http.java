package io.ferry.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The tests' HTTP client: generous read timeout (held polls), no silent retries of POSTs. */
final class Http {

  static final MediaType JSON = MediaType.get("application/json");
  static final OkHttpClient CLIENT = new OkHttpClient.Builder()
      .readTimeout(Duration.ofSeconds(40))
      .callTimeout(Duration.ofSeconds(45))
      .retryOnConnectionFailure(false)
      .build();

  /** Own threads for calls in the background: the common pool may have a single thread on a small machine. */
  static final ExecutorService BACKGROUND = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "test-http");
    t.setDaemon(true);
    return t;
  });

  private Http() {}

  static <T> CompletableFuture<T> async(Supplier<T> call) {
    return CompletableFuture.supplyAsync(call, BACKGROUND);
  }

  static RequestBody json(String body) {
    return RequestBody.create(body, JSON);
  }

  static Reply send(Request request) {
    try (Response response = CLIENT.newCall(request).execute()) {
      return new Reply(response.code(), response.headers(), response.body() == null ? "" : response.body().string());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.url() + " failed", e);
    }
  }
}
