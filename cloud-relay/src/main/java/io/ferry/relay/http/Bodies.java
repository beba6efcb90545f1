package io.ferry.relay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.ferry.protocol.Protocol;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;

/**
 * Reads request bodies within relay.max-body-bytes, whether or not the client declared a length
 * (a chunked body is cut off at the limit too), and parses them as JSON.
 */
final class Bodies {

  /** Longer than any field of Ferry's messages (SAP's longest texts are a few hundred characters). */
  static final int MAX_STRING_CHARS = 64 * 1024;
  /** Digits of one number: more than any id, amount or count needs, far less than a parse costs. */
  static final int MAX_NUMBER_CHARS = 100;

  private static final String MAX_BODY_SETTING = "relay.max-body-bytes";
  private final long maxBytes;
  private final int maxDepth;
  private final Duration timeout;
  private final ObjectMapper json;

  /** @param timeout how long a body may take to arrive in full (relay.body-timeout) */
  Bodies(long maxBytes, int maxDepth, Duration timeout) {
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
    this.timeout = timeout;
    this.json = Protocol.json().copy();
    this.json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(maxDepth)
        .maxStringLength(MAX_STRING_CHARS)
        .maxNumberLength(MAX_NUMBER_CHARS)
        .build());
  }

  /**
   * The body as a JSON tree; 400 when it is not JSON — including a member named twice and anything after
   * the value — and 413 when it is too large.
   */
  JsonNode json(Context ctx) {
    byte[] bytes = read(ctx);
    if (bytes.length == 0) {
      throw new ProblemException(ProblemType.MALFORMED_JSON, "the body is empty; send a JSON object");
    }
    try {
      JsonNode tree = strictly(bytes, (reader, parser) -> reader.readTree(parser));
      if (tree == null) {
        throw new ProblemException(ProblemType.MALFORMED_JSON, "the body is empty; send a JSON object");
      }
      return tree;
    } catch (StreamConstraintsException e) {
      throw tooComplex(e);
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An agent message as its protocol record; 400 when it is not JSON (strictly, as above) or does not fit the record. */
  <T> T agentMessage(Context ctx, Class<T> type) {
    return agentMessage(read(ctx), type);
  }

  /** As {@link #agentMessage(Context, Class)}, from bytes already read (a message on an agent's stream). */
  <T> T agentMessage(byte[] bytes, Class<T> type) {
    if (bytes.length == 0) {
      throw new ProblemException(ProblemType.MALFORMED_JSON,
          "the body is empty; send a " + type.getSimpleName() + " as JSON");
    }
    try {
      T value = strictly(bytes, (reader, parser) -> reader.forType(type).readValue(parser));
      if (value == null) {
        throw new ProblemException(ProblemType.INVALID_AGENT_MESSAGE, "expected a " + type.getSimpleName() + " object");
      }
      return value;
    } catch (StreamConstraintsException e) {
      throw tooComplex(e);
    } catch (MismatchedInputException e) {
      if (e.getCause() instanceof StreamConstraintsException c) {
        throw tooComplex(c);
      }
      throw new ProblemException(ProblemType.INVALID_AGENT_MESSAGE,
          "the body is not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage() + at(e.getLocation()));
    } catch (JsonMappingException e) {
      // Valid JSON that does not fit the record, such as a number its field cannot hold (holdSeconds of 10^12).
      String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(java.util.stream.Collectors.joining("."));
      throw new ProblemException(ProblemType.INVALID_AGENT_MESSAGE, "the body is not a valid " + type.getSimpleName()
          + ": " + (field.isEmpty() ? "" : field + " ") + e.getOriginalMessage() + at(e.getLocation()));
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private interface ValueReader<T> {
    T read(ObjectReader reader, JsonParser parser) throws IOException;
  }

  /**
   * Reads one value, then requires the end of the body: {@code {…}xyz} and {@code {A}{B}} are one message
   * to a reader that stops after the value and another to one that does not. Checked here rather than by
   * the mapper, so the answer says "trailing content" even when what follows is not JSON at all.
   */
  private <T> T strictly(byte[] bytes, ValueReader<T> read) throws IOException {
    try (JsonParser parser = json.createParser(bytes)) {
      T value = read.read(json.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS), parser);
      JsonLocation at;
      try {
        if (parser.nextToken() == null) {
          return value;
        }
        at = parser.currentTokenLocation();
      } catch (JsonProcessingException e) {
        at = e.getLocation();
      }
      throw new ProblemException(ProblemType.MALFORMED_JSON,
          "the body is not valid JSON: " + Protocol.TRAILING_CONTENT + at(at));
    }
  }

  /** Whether the request's content type is absent or one of {@code accepted} (parameters ignored). */
  static boolean contentTypeIs(Context ctx, String... accepted) {
    String header = ctx.header("Content-Type");
    if (header == null || header.isBlank()) {
      return true;
    }
    String mediaType = header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    for (String a : accepted) {
      if (a.equals(mediaType)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The body as a stream for a reader that never holds it whole (a customer batch): 413 at once when the
   * declared length is over {@code maxBytes}, else as soon as the stream passes it (a chunked body).
   *
   * @param setting the setting that sets the limit, for the message
   */
  static InputStream limited(Context ctx, long maxBytes, String setting) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) {
      throw tooLarge(maxBytes, setting).header("Connection", "close");
    }
    try {
      return new LimitedStream(ctx.req().getInputStream(), maxBytes, setting);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the request body", e);
    }
  }

  /** Counts what is read and refuses to go past the limit. */
  private static final class LimitedStream extends java.io.FilterInputStream {
    private final long maxBytes;
    private final String setting;
    private long count;

    LimitedStream(InputStream in, long maxBytes, String setting) {
      super(in);
      this.maxBytes = maxBytes;
      this.setting = setting;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count(skipped);
      return skipped;
    }

    private void count(long n) {
      count += n;
      if (count > maxBytes) {
        throw tooLarge(maxBytes, setting).header("Connection", "close");
      }
    }
  }

  /** Names the limit and the setting, so a caller knows how far to cut its request (or whom to ask). */
  private static ProblemException tooLarge(long maxBytes, String setting) {
    return new ProblemException(ProblemType.BODY_TOO_LARGE,
        "the body is larger than the " + maxBytes + " bytes this relay accepts here (" + setting + ")");
  }

  static ProblemException tooLarge(Context ctx) {
    return new ProblemException(ProblemType.BODY_TOO_LARGE,
        "the body is larger than this relay accepts (relay.max-body-bytes)");
  }

  /**
   * The whole body. A client that stalls is cut off by relay.idle-timeout (Jetty ends the blocking
   * read); one that trickles its body a byte at a time, each inside the idle timeout, is ended here
   * when the body is not complete after relay.body-timeout. The read blocks a virtual thread (see
   * {@link HttpServer}), so slow bodies do not take the threads other requests need.
   */
  private byte[] read(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) {
      throw tooLarge(maxBytes, MAX_BODY_SETTING).header("Connection", "close");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try (InputStream in = ctx.req().getInputStream()) {
      ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 0), 8192));
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        body.write(buffer, 0, n);
        if (body.size() > maxBytes) {
          throw tooLarge(maxBytes, MAX_BODY_SETTING).header("Connection", "close");
        }
        if (System.nanoTime() - deadline > 0) {
          throw new ProblemException(ProblemType.REQUEST_TIMEOUT, "the body did not arrive in full within "
              + timeout.toSeconds() + " s (relay.body-timeout); send it at once, not a little at a time")
              .header("Connection", "close");
        }
      }
      return body.toByteArray();
    } catch (IOException e) {
      // Jetty's idle timeout (relay.idle-timeout) ends a blocking read of a client that stalled.
      throw new ProblemException(ProblemType.REQUEST_TIMEOUT,
          "the body did not arrive in time (relay.idle-timeout); send it without pausing")
          .header("Connection", "close");
    }
  }

  /** Which limit a body broke: nesting (relay.max-json-depth), a string's or a number's length. */
  private ProblemException tooComplex(StreamConstraintsException e) {
    String message = String.valueOf(e.getMessage());
    String what;
    if (message.contains("nesting depth")) {
      what = "it is nested deeper than " + maxDepth + " levels (relay.max-json-depth)";
    } else if (message.contains("String value length")) {
      what = "a string is longer than " + MAX_STRING_CHARS + " characters";
    } else if (message.contains("Number value length")) {
      what = "a number has more than " + MAX_NUMBER_CHARS + " digits";
    } else {
      what = "it breaks a limit of this relay";
    }
    return new ProblemException(ProblemType.JSON_TOO_COMPLEX, "the body is refused unread: " + what);
  }

  private static ProblemException malformed(JsonProcessingException e) {
    return new ProblemException(ProblemType.MALFORMED_JSON,
        "the body is not valid JSON: " + Protocol.jsonError(e) + at(e.getLocation()));
  }

  private static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 0 ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
