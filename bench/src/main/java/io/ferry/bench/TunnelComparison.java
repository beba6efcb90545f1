package io.ferry.bench;

import io.ferry.agent.customer.CustomerPort;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.odata.ODataSettings;
import io.ferry.agent.sap.setup.SapSettings;
import io.ferry.odatapeer.ODataPeer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an administrator could build instead of Ferry in ten minutes — a reverse SSH tunnel ({@code ssh -R})
 * from the SAP network to the cloud — against Ferry, on SAP's own work: OData deep-insert creates of a
 * business partner against Ferry's SAP-Gateway-like OData V2 server, everything on loopback. Three paths,
 * each on a fresh server (so each works on the same data size), each at 1 caller and at 8:
 *
 * <ul>
 *   <li><b>direct</b>: the agent's OData backend in this process, calling the server;
 *   <li><b>ssh -R</b>: the same backend calling the cloud end of a reverse tunnel that {@code ssh} opened
 *       from the server's side to a local {@code sshd} (its own configuration, keys and port);
 *   <li><b>Ferry</b>: an engine's {@code POST /v1/customers} to {@code ferry relay serve}, a {@code ferry agent
 *       run} process with the OData backend on the server.
 * </ul>
 *
 * Ferry's added latency and the tunnel's are each path's p50 minus the direct p50 of the same run.
 */
final class TunnelComparison {

  static final String SCENARIO_1 = "OData create, 1 caller";
  static final String SCENARIO_8 = "OData create, 8 callers";
  static final String DIRECT = "odata-direct";
  static final String TUNNEL = "odata-ssh";
  static final String FERRY = "odata-ferry";
  private static final String DIRECT_LABEL = "(t1) direct to the OData server";
  private static final String TUNNEL_LABEL = "(t2) through ssh -R";
  private static final String FERRY_LABEL = "(t3) through Ferry (relay + agent processes)";
  private static final String PASSWORD = "bench-odata-Qw82";

  private final Settings settings;
  private final PrintStream progress;
  private final AtomicLong seq = new AtomicLong();

  TunnelComparison(Settings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** Why the tunnel path cannot run here (no sshd or ssh); empty when it can. */
  static Optional<String> unavailable() {
    if (!Files.isExecutable(sshd())) {
      return Optional.of("no sshd at " + sshd() + " (Debian: apt-get install openssh-server); the tunnel path needs "
          + "a local sshd the bench starts with its own configuration");
    }
    if (!Files.isExecutable(Path.of("/usr/bin/ssh"))) {
      return Optional.of("no ssh client at /usr/bin/ssh (Debian: apt-get install openssh-client)");
    }
    return Optional.empty();
  }

  private static Path sshd() {
    return Path.of("/usr/sbin/sshd");
  }

  List<Row> run() throws Exception {
    Path dir = Files.createDirectories(settings.workDir().resolve("tunnel"));
    List<Row> rows = new ArrayList<>();
    progress.println("tunnel comparison: direct to the OData server");
    try (ODataPeer sap = ODataPeer.start(peerOptions())) {
      rows.addAll(measure(DIRECT, DIRECT_LABEL, backendTarget(URI.create(sap.url())), sap));
    }
    Optional<String> noTunnel = unavailable();
    if (noTunnel.isPresent()) {
      progress.println("tunnel comparison: ssh -R not run: " + noTunnel.get());
      rows.add(new Row(SCENARIO_1, TUNNEL, TUNNEL_LABEL, null, null, null, null, null, null, null, noTunnel.get()));
      rows.add(new Row(SCENARIO_8, TUNNEL, TUNNEL_LABEL, null, null, null, null, null, null, null, noTunnel.get()));
    } else {
      progress.println("tunnel comparison: through ssh -R");
      try (ODataPeer sap = ODataPeer.start(peerOptions()); SshTunnel tunnel = SshTunnel.open(dir.resolve("ssh"),
          URI.create(sap.url()).getPort())) {
        String path = URI.create(sap.url()).getPath();
        rows.addAll(measure(TUNNEL, TUNNEL_LABEL, backendTarget(
            URI.create("http://127.0.0.1:" + tunnel.cloudPort() + path)), sap));
      }
    }
    progress.println("tunnel comparison: through Ferry");
    try (ODataPeer sap = ODataPeer.start(peerOptions())) {
      rows.addAll(measure(FERRY, FERRY_LABEL, ferryTarget(dir.resolve("ferry"), URI.create(sap.url())), sap));
    }
    return rows;
  }

  private static ODataPeer.Options peerOptions() {
    return ODataPeer.Options.defaults().withCredentials("FERRY", PASSWORD).withFirstNumber(100001);
  }

  private static ODataSettings odata(URI serviceUrl) {
    return ODataSettings.basic(serviceUrl, "100", "FERRY", PASSWORD).withGrouping("0001");
  }

  private List<Row> measure(String mode, String label, Mode.Target target, ODataPeer sap) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (target) {
      // Warmed at the busier level until the JIT settles (a fresh relay and agent process compile for a minute and
      // more), each path alike. Before each level the server is emptied, so that every path and level is measured on
      // the same data size however long its warm-up took and however fast the level before it went (the server's
      // creates grow slower as it fills).
      Duration took = LoadRun.warmUntilSettled(target, 8, settings.warmup(), seq, progress);
      progress.println("  warmed up for " + Scenarios.human(took) + " at 8 callers");
      sap.reset();
      LoadRun.Result one = LoadRun.run(target, 1, Duration.ZERO, settings.step(), seq);
      rows.add(row(SCENARIO_1, mode, label, one));
      LoadRun.warm(target, 8, Duration.ofSeconds(2), seq);
      sap.reset();
      LoadRun.Result eight = LoadRun.run(target, 8, Duration.ZERO, settings.step(), seq);
      rows.add(row(SCENARIO_8, mode, label, eight));
    }
    return rows;
  }

  private static Row row(String scenario, String mode, String label, LoadRun.Result r) {
    String note = r.processMicrosPerCall() == null ? "CPU: this process (client and, for direct, nothing else)"
        : String.format("relay + agent %.0f µs of CPU per create", r.processMicrosPerCall());
    if (r.errors() > 0) {
      note += "; " + r.errors() + " failed calls, first: " + r.firstError();
    }
    return new Row(scenario, mode, label, r.throughput(), "creates/s", Row.Latency.of(r.latencyMicros()),
        r.cpuCores(), null, null, note, null);
  }

  /** The agent's own OData backend in this process, as the client of direct and tunnel. */
  private Mode.Target backendTarget(URI serviceUrl) {
    SapBackend sap = io.ferry.agent.sap.setup.SapBackends.open(SapSettings.odata(odata(serviceUrl)));
    CustomerPort customers = sap.port(CustomerPort.class).orElseThrow();
    String run = settings.runPrefix();
    return new Mode.Target() {
      @Override
      public void create(long s) throws Exception {
        customers.create(Workload.customer(Workload.externalId(run, s)));
      }

      @Override
      public void close() {
        sap.close();
      }
    };
  }

  /** A relay and an agent process, the agent on the OData server. */
  private Mode.Target ferryTarget(Path dir, URI serviceUrl) throws Exception {
    Files.createDirectories(dir);
    return ProcessStack.start(dir, settings, (agentDir) -> {
      StringBuilder s = new StringBuilder();
      s.append("agent.data-dir=").append(agentDir.toAbsolutePath()).append('\n');
      s.append("sap.backend=odata\n");
      s.append("sap.odata.service-url=").append(serviceUrl).append('\n');
      s.append("sap.odata.client=100\n");
      s.append("sap.odata.user=FERRY\n");
      s.append("sap.odata.grouping=0001\n");
      return Files.writeString(dir.resolve("agent.properties"), s.toString());
    }, Map.of(SapSettings.PASSWORD_ENV, PASSWORD));
  }

  /**
   * A reverse tunnel as an administrator sets one up: a private sshd on a loopback port (host key, the client's
   * key authorised, nothing else allowed), and {@code ssh -N -R} from the SAP side, so the cloud side's
   * {@link #cloudPort()} reaches the OData server.
   */
  static final class SshTunnel implements AutoCloseable {
    private final Process sshd;
    private final Process ssh;
    private final int cloudPort;

    private SshTunnel(Process sshd, Process ssh, int cloudPort) {
      this.sshd = sshd;
      this.ssh = ssh;
      this.cloudPort = cloudPort;
    }

    static SshTunnel open(Path dir, int sapPort) throws Exception {
      Files.createDirectories(dir);
      keygen(dir.resolve("host_key"));
      keygen(dir.resolve("client_key"));
      Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
      int sshPort = freePort();
      int cloudPort = freePort();
      String user = System.getProperty("user.name");
      Path config = Files.writeString(dir.resolve("sshd_config"), String.join("\n",
          "Port " + sshPort, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key").toAbsolutePath(),
          "AuthorizedKeysFile " + dir.resolve("authorized_keys").toAbsolutePath(), "PubkeyAuthentication yes",
          "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no",
          "PermitRootLogin prohibit-password", "AllowUsers " + user, "AllowTcpForwarding remote",
          "GatewayPorts no", "PidFile " + dir.resolve("sshd.pid").toAbsolutePath(), "") );
      if ("root".equals(user)) {
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
      }
      Process sshd = new ProcessBuilder(sshd().toString(), "-D", "-e", "-f", config.toAbsolutePath().toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
      Process ssh = null;
      try {
        awaitPort(sshPort, sshd, "sshd", dir.resolve("sshd.log"));
        ssh = new ProcessBuilder("/usr/bin/ssh", "-N", "-T", "-i", dir.resolve("client_key").toAbsolutePath().toString(),
            "-p", Integer.toString(sshPort), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "ExitOnForwardFailure=yes", "-o", "LogLevel=ERROR",
            "-R", "127.0.0.1:" + cloudPort + ":127.0.0.1:" + sapPort, user + "@127.0.0.1")
            .redirectErrorStream(true).redirectOutput(dir.resolve("ssh.log").toFile()).start();
        awaitPort(cloudPort, ssh, "ssh -R", dir.resolve("ssh.log"));
        return new SshTunnel(sshd, ssh, cloudPort);
      } catch (Exception e) {
        if (ssh != null) {
          ssh.destroyForcibly();
        }
        sshd.destroyForcibly();
        throw e;
      }
    }

    int cloudPort() {
      return cloudPort;
    }

    private static void keygen(Path key) throws Exception {
      Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
          .redirectErrorStream(true).start();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("ssh-keygen failed: " + new String(p.getInputStream().readAllBytes()));
      }
    }

    private static int freePort() throws IOException {
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      }
    }

    private static void awaitPort(int port, Process owner, String what, Path log) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 200);
          return;
        } catch (IOException notYet) {
          if (!owner.isAlive()) {
            throw new IOException(what + " ended before it listened on " + port + ": " + Files.readString(log));
          }
          Thread.sleep(50);
        }
      }
      throw new IOException(what + " did not listen on " + port + " within 20 s: " + Files.readString(log));
    }

    @Override
    public void close() {
      for (Process p : List.of(ssh, sshd)) {
        p.destroy();
        try {
          if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
