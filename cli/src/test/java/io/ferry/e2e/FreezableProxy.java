package io.ferry.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A TCP proxy on loopback between the agent and the relay that can stop forwarding bytes without closing
 * anything, as a stateful firewall or NAT does when it loses a flow. {@link #freeze()} kills the flows of
 * every connection open now (their bytes are never forwarded again, their sockets stay open) and stalls new
 * connections; {@link #thaw()} lets the stalled and new connections flow. A killed flow stays dead: only
 * a client that gives it up and connects again gets through.
 */
final class FreezableProxy implements AutoCloseable {

  private final ServerSocket server;
  private final Supplier<InetSocketAddress> target;
  private final Object gate = new Object();
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private boolean frozen;
  private boolean closed;
  private int accepted;

  private static final class Link {
    final Socket client;
    volatile Socket upstream;
    boolean dead; // guarded by gate

    Link(Socket client) {
      this.client = client;
    }
  }

  private FreezableProxy(Supplier<InetSocketAddress> target) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.target = target;
    Thread.ofPlatform().name("freezable-proxy-accept").daemon(true).start(this::acceptLoop);
  }

  /** @param target where to connect, asked at each new connection (the relay may start after the proxy) */
  static FreezableProxy start(Supplier<InetSocketAddress> target) throws IOException {
    return new FreezableProxy(target);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  void freeze() {
    synchronized (gate) {
      frozen = true;
      for (Link l : links) {
        l.dead = true;
      }
    }
  }

  void thaw() {
    synchronized (gate) {
      frozen = false;
      gate.notifyAll();
    }
  }

  int accepted() {
    synchronized (gate) {
      return accepted;
    }
  }

  /** Waits until at least {@code n} connections were accepted since the start; false on timeout. */
  boolean awaitAccepted(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (gate) {
      while (accepted < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        gate.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket client = server.accept();
        Link link = new Link(client);
        links.add(link);
        synchronized (gate) {
          accepted++;
          gate.notifyAll();
        }
        Thread.ofPlatform().daemon(true).start(() -> connect(link));
      }
    } catch (IOException e) {
      // closed
    }
  }

  private void connect(Link link) {
    try {
      Socket up = new Socket();
      up.connect(target.get(), 5_000);
      link.upstream = up;
      Thread.ofPlatform().daemon(true).start(() -> pump(link, up, link.client));
      pump(link, link.client, up);
    } catch (IOException e) {
      closeQuietly(link.client);
    }
  }

  private void pump(Link link, Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        awaitPassable(link);
        out.write(buffer, 0, n);
        out.flush();
      }
      awaitPassable(link);
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(from);
      closeQuietly(to);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitPassable(Link link) throws InterruptedException, IOException {
    synchronized (gate) {
      while (!closed && (link.dead || frozen)) {
        gate.wait();
      }
      if (closed) {
        throw new IOException("proxy closed");
      }
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (gate) {
      closed = true;
      gate.notifyAll();
    }
    server.close();
    for (Link l : links) {
      closeQuietly(l.client);
      if (l.upstream != null) {
        closeQuietly(l.upstream);
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing more to do
    }
  }
}
