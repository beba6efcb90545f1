package io.ferry.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP forwarder in front of a relay that counts the HTTP requests reaching it — an agent
 * process's requests per minute, and the moment its first poll arrives — without touching relay or agent.
 * It counts request lines ({@code … HTTP/1.1} and CRLF) in what clients send: Ferry's bodies are JSON,
 * in which a CRLF cannot appear unescaped. On an agent's stream (after its {@code GET /agent/v1/stream}
 * upgrade) it reads the WebSocket frames instead: each message the agent sends there (a poll, a result batch)
 * counts as a request, each ping is counted apart.
 */
final class CountingProxy implements AutoCloseable {

  private static final byte[] REQUEST_LINE_END = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] POLL = "POST /agent/v1/poll ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STREAM = "GET /agent/v1/stream ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEADERS_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong polls = new AtomicLong();
  private final AtomicLong pings = new AtomicLong();
  private volatile long firstPollNanos;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private CountingProxy(ServerSocket server, InetSocketAddress upstream) {
    this.server = server;
    this.upstream = upstream;
  }

  static CountingProxy start(URI relay) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    CountingProxy proxy = new CountingProxy(server, new InetSocketAddress(relay.getHost(), relay.getPort()));
    Thread.ofPlatform().daemon().name("bench-proxy-accept").start(proxy::accept);
    return proxy;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  long requests() {
    return requests.get();
  }

  long polls() {
    return polls.get();
  }

  /** WebSocket pings agents sent on their streams (keep-alives, not requests). */
  long pings() {
    return pings.get();
  }

  /** {@link System#nanoTime()} when the first poll's request line passed, 0 before. */
  long firstPollNanos() {
    return firstPollNanos;
  }

  /** Forgets the first poll (before the next agent start). */
  void resetFirstPoll() {
    firstPollNanos = 0;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket relay = new Socket(upstream.getAddress(), upstream.getPort());
        client.setTcpNoDelay(true);
        relay.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(relay);
        Thread.ofVirtual().start(() -> pump(client, relay, true));
        Thread.ofVirtual().start(() -> pump(relay, client, false));
      } catch (IOException e) {
        // closed, or the relay refused: the client sees its connection drop, as it would without us
      }
    }
  }

  private void pump(Socket from, Socket to, boolean count) {
    byte[] buf = new byte[16 * 1024];
    Matcher lineEnd = new Matcher(REQUEST_LINE_END);
    Matcher poll = new Matcher(POLL);
    Matcher stream = new Matcher(STREAM);
    Matcher headersEnd = new Matcher(HEADERS_END);
    boolean upgrading = false;
    Frames frames = null;
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        if (count) {
          for (int i = 0; i < n; i++) {
            if (frames != null) {
              frames.next(buf[i]);
              continue;
            }
            if (stream.next(buf[i])) {
              upgrading = true;
            }
            if (upgrading && headersEnd.next(buf[i])) {
              frames = new Frames(); // what follows the upgrade request is WebSocket frames
            }
            if (poll.next(buf[i])) {
              polls.incrementAndGet();
              if (firstPollNanos == 0) {
                firstPollNanos = System.nanoTime();
              }
            }
            if (lineEnd.next(buf[i])) {
              requests.incrementAndGet();
            }
          }
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /**
   * Reads the frames a WebSocket client sends (RFC 6455: masked, so the payload is skipped unread): a final
   * frame of a text or binary message counts as a request, a ping as a ping.
   */
  private final class Frames {
    private int stage; // 0 first byte, 1 length byte, 2 extended length, 3 mask, 4 payload
    private int opcode;
    private boolean fin;
    private int lengthBytes;
    private long length;
    private int maskLeft;

    void next(byte b) {
      switch (stage) {
        case 0 -> {
          fin = (b & 0x80) != 0;
          opcode = b & 0x0F;
          stage = 1;
        }
        case 1 -> {
          int len = b & 0x7F;
          maskLeft = (b & 0x80) != 0 ? 4 : 0;
          if (len == 126 || len == 127) {
            lengthBytes = len == 126 ? 2 : 8;
            length = 0;
            stage = 2;
          } else {
            length = len;
            afterLength();
          }
        }
        case 2 -> {
          length = (length << 8) | (b & 0xFF);
          if (--lengthBytes == 0) {
            afterLength();
          }
        }
        case 3 -> {
          if (--maskLeft == 0) {
            afterMask();
          }
        }
        default -> {
          if (--length == 0) {
            stage = 0;
          }
        }
      }
    }

    private void afterLength() {
      if (maskLeft > 0) {
        stage = 3;
      } else {
        afterMask();
      }
    }

    private void afterMask() {
      if (fin && (opcode == 0 || opcode == 1 || opcode == 2)) {
        requests.incrementAndGet();
      } else if (opcode == 9) {
        pings.incrementAndGet();
      }
      stage = length == 0 ? 0 : 4;
    }
  }

  /** Finds a byte pattern in a stream, across reads. Naive restart is enough: the patterns repeat no prefix. */
  private static final class Matcher {
    private final byte[] pattern;
    private int matched;

    Matcher(byte[] pattern) {
      this.pattern = pattern;
    }

    boolean next(byte b) {
      if (b == pattern[matched]) {
        matched++;
      } else {
        matched = b == pattern[0] ? 1 : 0;
      }
      if (matched == pattern.length) {
        matched = 0;
        return true;
      }
      return false;
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    sockets.forEach(CountingProxy::closeQuietly);
  }
}
