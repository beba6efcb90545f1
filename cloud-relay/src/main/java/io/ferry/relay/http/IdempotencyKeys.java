package io.ferry.relay.http;

import io.ferry.protocol.Problem.FieldError;
import io.javalin.http.Context;
import java.util.List;

/**
 * Reads the {@code Idempotency-Key} header (draft-ietf-httpapi-idempotency-key-header): optional; when
 * sent, 1 to 255 visible ASCII characters. The draft writes the key as a structured-field string
 * ({@code "8e03978e-…"}); the bare form most clients send is accepted too and means the same key.
 */
final class IdempotencyKeys {

  static final String HEADER = "Idempotency-Key";
  static final String REPLAYED = "Idempotent-Replayed";
  static final int MAX_LENGTH = 255;

  private IdempotencyKeys() {}

  /** The key, or null when the request has none; 400 when it is empty, too long, not printable or sent twice. */
  static String of(Context ctx) {
    String raw = SingleHeaders.value(ctx, HEADER);
    if (raw == null) {
      return null;
    }
    String key = raw.trim();
    if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
      key = key.substring(1, key.length() - 1);
    }
    if (key.isEmpty()) {
      throw invalid("is empty; send 1 to " + MAX_LENGTH + " characters, for example a UUID or the id of the "
          + "record the request is about");
    }
    if (key.length() > MAX_LENGTH) {
      throw invalid("is " + key.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        throw invalid("may contain only visible ASCII characters (no quotes or backslashes)");
      }
    }
    return key;
  }

  private static ProblemException invalid(String message) {
    return new ProblemException(ProblemType.INVALID_IDEMPOTENCY_KEY, "the Idempotency-Key header " + message)
        .errors(List.of(new FieldError(HEADER, message)));
  }
}
