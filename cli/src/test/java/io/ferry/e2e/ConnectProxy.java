package io.ferry.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A forward proxy as corporate networks have them, on loopback: it takes {@code CONNECT host:port},
 * demands basic {@code Proxy-Authorization} when it has credentials (407 otherwise), then tunnels bytes
 * both ways. It records each CONNECT line and the authorization it came with.
 */
final class ConnectProxy implements AutoCloseable {

  /** One CONNECT as the proxy saw it. */
  record Connect(String target, String authorization, int status) {}

  private final ServerSocket server;
  private final String expected;
  private final List<Connect> connects = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  ConnectProxy(String user, String password) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.expected = user == null ? null
        : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.acceptor = Thread.ofPlatform().name("test-proxy").daemon(true).start(this::accept);
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  List<Connect> connects() {
    return List.copyOf(connects);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        open.add(client);
        Thread.ofPlatform().name("test-proxy-conn").daemon(true).start(() -> handle(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      List<String> head = readHead(in);
      if (head.isEmpty()) {
        return;
      }
      String[] requestLine = head.get(0).split(" ");
      String authorization = head.stream().skip(1).filter(h -> h.regionMatches(true, 0, "Proxy-Authorization:", 0, 20))
          .map(h -> h.substring(20).strip()).findFirst().orElse(null);
      if (!requestLine[0].equals("CONNECT")) {
        connects.add(new Connect(head.get(0), authorization, 405));
        out.write("HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return;
      }
      if (expected != null && !expected.equals(authorization)) {
        connects.add(new Connect(requestLine[1], authorization, 407));
        out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\n"
            + "Connection: close\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return;
      }
      String[] hostPort = requestLine[1].split(":");
      try (Socket upstream = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
        open.add(upstream);
        connects.add(new Connect(requestLine[1], authorization, 200));
        out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread back = Thread.ofPlatform().daemon(true).start(() -> pipe(upstream, client));
        pipe(client, upstream);
        back.join(5_000);
      }
    } catch (IOException | InterruptedException e) {
      // the client or the relay went away: the tunnel ends
    }
  }

  private static void pipe(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      // one side closed
    }
  }

  private static List<String> readHead(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    List<String> lines = new java.util.ArrayList<>();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String l = line.toString(StandardCharsets.US_ASCII).stripTrailing();
        if (l.isEmpty()) {
          return lines;
        }
        lines.add(l);
        line.reset();
      } else {
        line.write(b);
      }
    }
    return lines;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
    try {
      acceptor.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
