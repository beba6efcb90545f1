package io.ferry.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A workflow engine creating customers through a relay's engine API: blocking calls, kept-alive connections. */
final class EngineClient implements AutoCloseable {

  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient http = new OkHttpClient.Builder()
      .connectionPool(new ConnectionPool(512, 5, TimeUnit.MINUTES))
      .readTimeout(Duration.ofSeconds(60))
      .build();
  private final String createUrl;
  private final String apiKey;
  private final String run;

  EngineClient(URI relay, String apiKey, String run) {
    this.createUrl = relay + "/v1/customers";
    this.apiKey = apiKey;
    this.run = run;
  }

  /** POST /v1/customers; returns once the relay answered 201 (the customer is in SAP). */
  void create(long seq) throws IOException {
    Request request = new Request.Builder().url(createUrl).header("X-API-Key", apiKey)
        .post(RequestBody.create(Workload.customerJson(Workload.externalId(run, seq)), JSON)).build();
    try (Response response = http.newCall(request).execute()) {
      String body = response.body() == null ? "" : response.body().string();
      if (response.code() != 201) {
        throw new IOException("POST /v1/customers answered " + response.code() + ": " + body);
      }
    }
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
