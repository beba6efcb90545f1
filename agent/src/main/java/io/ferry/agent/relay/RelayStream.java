package io.ferry.agent.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Problem;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.StreamAnswer;
import io.ferry.protocol.StreamRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * One open stream to the relay ({@link Protocol#STREAM_PATH}): a WebSocket the agent opened, outbound like every
 * connection of its, in one session. Polls and result batches go out as numbered {@link StreamRequest}s and
 * {@link #call} waits for the {@link StreamAnswer} of the same number; several calls share the connection at
 * once (a held poll and the result batches of the jobs it brought).
 *
 * <p>A stream that fails fails every call waiting on it with {@link RelayException.Kind#NETWORK}: a result batch
 * is then sent again (the relay takes a result once and answers a resend as taken), a poll is made again.
 */
final class RelayStream {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RelayStream.class);

  /** Why a stream could not be opened: the relay has no stream route (404), or any other failure. */
  static final class NotOpened extends Exception {
    final boolean relayHasNoStreams;

    NotOpened(String message, boolean relayHasNoStreams, Throwable cause) {
      super(message, cause);
      this.relayHasNoStreams = relayHasNoStreams;
    }
  }

  private final ObjectMapper json = Protocol.json();
  private final String session;
  private final Map<Long, CompletableFuture<StreamAnswer>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final CompletableFuture<Void> opened = new CompletableFuture<>();
  private volatile WebSocket socket;
  /** Why the stream ended; null while open. */
  private volatile String ended;
  /** Set when the agent moved to a newer stream: this one closes once its last call is answered. */
  private volatile boolean draining;

  /** Told when the stream is found stuck: a ping went unanswered (see {@link #onStuck}). */
  private final Runnable onStuck;

  private RelayStream(String session, Runnable onStuck) {
    this.session = session;
    this.onStuck = onStuck;
  }

  /**
   * Opens a stream with {@code request} (the upgrade, its Authorization made in {@code session}) and waits until
   * the relay accepted it.
   */
  static RelayStream open(OkHttpClient http, Request request, String session, Duration timeout, Runnable onStuck)
      throws NotOpened {
    RelayStream stream = new RelayStream(session, onStuck);
    stream.socket = http.newWebSocket(request, stream.listener());
    try {
      stream.opened.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return stream;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof NotOpened n ? n : new NotOpened(String.valueOf(cause), false, cause);
    } catch (TimeoutException e) {
      stream.socket.cancel();
      throw new NotOpened("the relay did not accept the stream within " + timeout.toSeconds() + " s", false, e);
    } catch (InterruptedException e) {
      stream.socket.cancel();
      Thread.currentThread().interrupt();
      throw new NotOpened("interrupted while opening the stream", false, e);
    }
  }

  /** The session the stream was opened in: the jobs it brings are signed with that session's secret. */
  String session() {
    return session;
  }

  boolean isOpen() {
    return ended == null;
  }

  /**
   * Sends the request {@code message} makes of a new number, and waits at most {@code timeout} for its answer;
   * a problem answer is thrown as the {@link RelayException} its HTTP status stands for.
   *
   * @param onStart given the call's future before it is sent, so another thread can cancel it
   */
  StreamAnswer call(LongFunction<StreamRequest> message, Duration timeout,
      java.util.function.Consumer<CompletableFuture<StreamAnswer>> onStart) throws RelayException {
    long id = ids.incrementAndGet();
    CompletableFuture<StreamAnswer> answer = new CompletableFuture<>();
    waiting.put(id, answer);
    try {
      onStart.accept(answer);
      String why = ended;
      if (why != null) {
        throw new RelayException(RelayException.Kind.NETWORK, "the stream to the relay ended: " + why, null);
      }
      if (!socket.send(json.writeValueAsString(message.apply(id)))) {
        throw new RelayException(RelayException.Kind.NETWORK, "the stream to the relay is closing", null);
      }
      StreamAnswer a = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Problem p = a.problem();
      if (p != null) {
        throw RelayException.fromStatus(p.status(), "HTTP " + p.status() + (p.code() == null ? "" : " " + p.code())
            + ": " + p.detail(), null);
      }
      return a;
    } catch (CancellationException e) {
      throw new RelayException(RelayException.Kind.CANCELLED, "the call was cancelled", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RelayException r) {
        throw r;
      }
      throw new RelayException(RelayException.Kind.NETWORK, "the stream to the relay failed: " + cause, cause);
    } catch (TimeoutException e) {
      // A silent stream: closed, so the next call opens a fresh one rather than waiting on this one again.
      cancel("no answer within " + timeout.toSeconds() + " s");
      throw new RelayException(RelayException.Kind.NETWORK, "the relay did not answer on the stream in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RelayException(RelayException.Kind.CANCELLED, "interrupted", e);
    } catch (IOException e) {
      throw new RelayException(RelayException.Kind.PROTOCOL, "cannot encode a stream request", e);
    } finally {
      waiting.remove(id);
      if (draining && waiting.isEmpty()) {
        close();
      }
    }
  }

  /** No new calls here: the stream closes once the calls on it are answered. */
  void drain() {
    draining = true;
    if (waiting.isEmpty()) {
      close();
    }
  }

  /** Ends the stream at once, failing the calls waiting on it. */
  void cancel(String why) {
    end(why);
    WebSocket s = socket;
    if (s != null) {
      s.cancel();
    }
  }

  private void close() {
    end("closed by the agent");
    socket.close(1000, null);
  }

  private void end(String why) {
    if (ended == null) {
      ended = why;
    }
    RelayException failure = new RelayException(RelayException.Kind.NETWORK, "the stream to the relay ended: " + why,
        null);
    waiting.values().forEach(f -> f.completeExceptionally(failure));
  }

  private WebSocketListener listener() {
    return new WebSocketListener() {
      @Override
      public void onOpen(WebSocket webSocket, Response response) {
        opened.complete(null);
      }

      @Override
      public void onMessage(WebSocket webSocket, String text) {
        StreamAnswer answer;
        try {
          answer = json.readValue(text, StreamAnswer.class);
        } catch (IOException | RuntimeException e) {
          LOG.warn("the relay sent something on the stream that is not a stream answer; the stream is closed");
          cancel("the relay sent something that is not a stream answer");
          return;
        }
        CompletableFuture<StreamAnswer> waiter = waiting.get(answer.id());
        if (waiter != null) {
          waiter.complete(answer);
        }
      }

      @Override
      public void onClosing(WebSocket webSocket, int code, String reason) {
        end("the relay closed it (" + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
        webSocket.close(1000, null);
      }

      @Override
      public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        if (!opened.isDone()) {
          int status = response == null ? 0 : response.code();
          opened.completeExceptionally(new NotOpened(status == 0 ? String.valueOf(t.getMessage())
              : "the relay answered the stream's upgrade with HTTP " + status, status == 404 || status == 405, t));
        }
        if (opened.isDone() && t instanceof java.net.SocketTimeoutException && ended == null) {
          // OkHttp's verdict on a ping without a pong: the path accepts bytes but forwards none (a frozen proxy, a
          // half-open connection). The calls on it fail now; the next one opens a new stream on a new connection.
          LOG.warn("FERRY-AGENT-0007 the stream to the relay answered no ping ({}): the connection looks stuck; "
              + "polling again on a fresh connection", t.getMessage());
          onStuck.run();
        }
        end(String.valueOf(t.getMessage()));
      }
    };
  }
}
