package io.ferry.relay;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/** A workflow engine calling the relay with an API key. */
final class Engine {

  private final URI base;
  private final String apiKey;

  Engine(URI base, String apiKey) {
    this.base = base;
    this.apiKey = apiKey;
  }

  Reply post(String path, String json, String... headers) {
    return Http.send(request(path, headers).post(Http.json(json)).build());
  }

  CompletableFuture<Reply> postAsync(String path, String json, String... headers) {
    return Http.async(() -> post(path, json, headers));
  }

  Reply put(String path, String json, String... headers) {
    return Http.send(request(path, headers).put(Http.json(json)).build());
  }

  CompletableFuture<Reply> putAsync(String path, String json, String... headers) {
    return Http.async(() -> put(path, json, headers));

  }

  /** A body of any media type (a CSV batch), with its length declared. */
  Reply postBody(String path, String body, String contentType, String... headers) {
    return Http.send(request(path, headers).post(RequestBody.create(body, MediaType.get(contentType))).build());
  }

  /** A body sent chunked, without a declared length, as a streaming client sends it. */
  Reply postChunked(String path, byte[] body, String contentType, String... headers) {
    RequestBody chunked = new RequestBody() {
      @Override
      public MediaType contentType() {
        return MediaType.get(contentType);
      }

      @Override
      public long contentLength() {
        return -1;
      }

      @Override
      public void writeTo(okio.BufferedSink sink) throws java.io.IOException {
        sink.write(body);
      }
    };
    return Http.send(request(path, headers).post(chunked).build());
  }

  Reply get(String pathOrUrl, String... headers) {
    return Http.send(request(pathOrUrl, headers).get().build());
  }

  CompletableFuture<Reply> getAsync(String path, String... headers) {
    return Http.async(() -> get(path, headers));
  }

  Reply patch(String path, String json, String contentType, String... headers) {
    return Http.send(request(path, headers).patch(RequestBody.create(json, MediaType.get(contentType))).build());
  }

  CompletableFuture<Reply> patchAsync(String path, String json, String... headers) {
    return Http.async(() -> patch(path, json, "application/merge-patch+json", headers));
  }

  Reply delete(String path, String... headers) {
    return Http.send(request(path, headers).delete().build());
  }

  private Request.Builder request(String pathOrUrl, String... headers) {
    String url = pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl;
    Request.Builder b = new Request.Builder().url(url);
    if (apiKey != null) {
      b.header("X-API-Key", apiKey);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }
}
