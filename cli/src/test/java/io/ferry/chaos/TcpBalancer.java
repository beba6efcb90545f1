package io.ferry.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The load balancer in front of several relays, as a TCP proxy on loopback: each new connection goes to
 * the next relay in turn that accepts it; a relay that refuses (killed, not yet restarted) is skipped. A
 * connection stays with its relay until either side closes it, as with an L4 balancer and HTTP
 * keep-alive — so when a relay dies, the connections through it break and the client's next connection
 * lands on a live one. It runs in the test's process: the balancer is not what the chaos test disrupts.
 */
final class TcpBalancer implements AutoCloseable {

  private final ServerSocket server;
  private final List<InetSocketAddress> backends;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicIntegerArray connections;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  TcpBalancer(List<URI> relays) throws IOException {
    this.backends = relays.stream().map(u -> new InetSocketAddress(u.getHost(), u.getPort())).toList();
    this.connections = new AtomicIntegerArray(backends.size());
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("chaos-balancer").start(this::accept);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Thread.ofVirtual().start(() -> connect(client));
      } catch (IOException e) {
        // closed
      }
    }
  }

  private void connect(Socket client) {
    open.add(client);
    int first = next.getAndIncrement();
    for (int i = 0; i < backends.size(); i++) {
      int backend = Math.floorMod(first + i, backends.size());
      Socket relay = new Socket();
      try {
        relay.connect(backends.get(backend), 1000);
      } catch (IOException refused) {
        quietly(relay);
        continue;
      }
      connections.incrementAndGet(backend);
      open.add(relay);
      Thread.ofVirtual().start(() -> pump(client, relay));
      pump(relay, client);
      return;
    }
    quietly(client); // no relay is up: the client sees its connection closed and retries
  }

  /** Copies until either side ends, then closes both, so the other direction's pump ends too. */
  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // a side went away (a killed relay resets its connections)
    } finally {
      quietly(from);
      quietly(to);
    }
  }

  private void quietly(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  /** How many connections went to each relay, in the order given: that the agent used them all. */
  List<Integer> connectionsPerRelay() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < connections.length(); i++) {
      out.add(connections.get(i));
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    System.out.println("chaos: the balancer passed the agent's connections to the relays " + connectionsPerRelay());
    server.close();
    for (Socket s : open) {
      quietly(s);
    }
  }
}
