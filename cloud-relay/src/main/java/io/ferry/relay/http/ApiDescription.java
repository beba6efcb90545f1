package io.ferry.relay.http;

import io.ferry.relay.config.RelayConfig;
import io.ferry.relay.openapi.OpenApiDocument;
import io.javalin.http.Context;

/** {@code GET /openapi.json}: the engine API's OpenAPI 3.1 description, with this relay as its server. No API key. */
final class ApiDescription {

  private final RelayConfig config;

  ApiDescription(RelayConfig config) {
    this.config = config;
  }

  void serve(Context ctx) {
    new Answer(200, new java.util.LinkedHashMap<>(), Answer.JSON,
        OpenApiDocument.forServer(BaseUrl.of(config.publicUrl(), ctx)))
        .header("Cache-Control", "public, max-age=300")
        .send(ctx);
  }
}
