package io.ferry.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The archives {@code ./mvnw package} builds, unpacked into a temporary folder and run from there with
 * no source tree around: the layout, the launcher's choice of JCo, {@code --version} and the demo.
 */
class DistributionIT {

  @TempDir Path dir;

  @Test
  void theTarballHoldsLaunchersLibrariesConfigurationAndInstallScripts() throws Exception {
    Path home = Distribution.unpack(dir);

    for (String exe : List.of("bin/ferry", "bin/select-jdk.sh", "linux/install.sh", "linux/uninstall.sh")) {
      assertThat(Files.getPosixFilePermissions(home.resolve(exe))).as(exe).contains(PosixFilePermission.OWNER_EXECUTE,
          PosixFilePermission.OTHERS_EXECUTE);
    }
    for (String file : List.of("README.md", "VERSION", "bin/ferry.cmd", "lib/ferry.jar", "conf/agent.properties",
        "conf/relay.properties", "conf/admin.properties", "linux/ferry.service.in", "windows/install.ps1", "windows/uninstall.ps1",
        "windows/FerryAgent.xml", "windows/agent-service.cmd", "windows/WinSW-LICENSE.txt")) {
      assertThat(home.resolve(file)).as(file).isRegularFile();
    }
    assertThat(Distribution.read(home.resolve("VERSION")).strip()).isEqualTo(Distribution.VERSION);
    // Windows reads its scripts with CRLF line ends.
    assertThat(Distribution.read(home.resolve("bin/ferry.cmd"))).contains("\r\n");
    assertThat(Distribution.read(home.resolve("windows/install.ps1"))).contains("\r\n");
    assertThat(Distribution.read(home.resolve("windows/agent-service.cmd"))).contains("\r\n");
    assertThat(Distribution.read(home.resolve("bin/ferry"))).doesNotContain("\r");
    assertThat(Distribution.read(home.resolve("linux/install.sh"))).doesNotContain("\r");

    try (Stream<Path> libs = Files.list(home.resolve("lib"))) {
      List<String> names = libs.map(p -> p.getFileName().toString()).toList();
      assertThat(names).anyMatch(n -> n.matches("ferry-jco-mock-.+\\.jar")).anyMatch(n -> n.startsWith("ferry-agent-"))
          .anyMatch(n -> n.startsWith("ferry-cloud-relay-")).noneMatch(n -> n.equals("sapjco3.jar"))
          .noneMatch(n -> n.startsWith("ferry-cli-"))
          // The OData test server and its libraries are the demo's alone (lib/demo/, below).
          .noneMatch(n -> n.startsWith("ferry-odata-peer-")).noneMatch(n -> n.startsWith("olingo-"))
          .noneMatch(n -> n.startsWith("gson-")).noneMatch(n -> n.startsWith("javax.ws.rs-"))
          .noneMatch(n -> n.startsWith("commons-codec-"));
    }
    try (Stream<Path> demo = Files.list(home.resolve("lib/demo"))) {
      List<String> names = demo.map(p -> p.getFileName().toString()).toList();
      assertThat(names).anyMatch(n -> n.startsWith("ferry-odata-peer-")).anyMatch(n -> n.startsWith("olingo-odata2-core-"))
          .noneMatch(n -> n.startsWith("jackson-")).noneMatch(n -> n.startsWith("ferry-agent-"));
    }
  }

  /** lib/demo/ is on the class path of {@code ferry demo} and of nothing else the launcher starts. */
  @Test
  void onlyTheDemoGetsTheODataTestServer() throws Exception {
    Path home = Distribution.unpack(dir);
    java.util.Map<String, String> debug = java.util.Map.of("FERRY_DEBUG_CLASSPATH", "1");

    for (List<String> args : List.of(List.of("--version"), List.of("agent", "run", "--help"),
        List.of("relay", "serve", "--help"))) {
      List<String> command = new ArrayList<>(List.of(home.resolve("bin/ferry").toString()));
      command.addAll(args);
      Distribution.Result r = Distribution.run(dir, command, debug);
      assertThat(r.exit()).as(r.out()).isZero();
      assertThat(classPath(r)).as(String.join(" ", args)).contains("ferry-agent-").doesNotContain("lib/demo")
          .doesNotContain("olingo");
    }
    Distribution.Result demo = Distribution.run(dir, List.of(home.resolve("bin/ferry").toString(), "demo", "--help"), debug);
    assertThat(demo.exit()).as(demo.out()).isZero();
    assertThat(classPath(demo)).contains(home.resolve("lib/demo").toString() + "/ferry-odata-peer-");
  }

  private static String classPath(Distribution.Result r) {
    return r.out().lines().filter(l -> l.startsWith("ferry: class path ")).findFirst().orElseThrow();
  }

  /**
   * ferry.jar's manifest names its libraries under lib/, relative to itself. In the distribution they
   * sit next to it instead, so the manifest resolves to nothing and never adds jco-mock behind the
   * launcher's back: SAP's sapjco3.jar, when present, is the only JCo on the class path.
   */
  @Test
  void theManifestClassPathCannotBringTheSimulatorBack() throws Exception {
    Path home = Distribution.unpack(dir);
    assertThat(home.resolve("lib/lib")).doesNotExist();
    try (JarFile jar = new JarFile(home.resolve("lib/ferry.jar").toFile())) {
      String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
      assertThat(classPath.split(" ")).allMatch(entry -> entry.startsWith("lib/"));
    }
  }

  /**
   * Issue 15: users run {@code java -jar ferry.jar} too, without the launcher's --enable-native-access; on
   * JDK 24+ SQLite's native library then made the JVM warn. The manifest grants it, and a command that opens
   * the relay's SQLite store prints no warning.
   */
  @Test
  void javaDashJarPrintsNoJvmWarning() throws Exception {
    Path home = Distribution.unpack(dir);
    try (JarFile jar = new JarFile(home.resolve("lib/ferry.jar").toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
    }
    // The build's ferry.jar, whose manifest class path finds its libraries (lib/ next to it).
    Path built = Path.of("..", "cli", "target", "ferry.jar").toAbsolutePath().normalize();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Distribution.Result r = Distribution.run(dir, List.of(java.toString(), "-jar", built.toString(), "relay", "bootstrap",
        "--data-dir", dir.resolve("relay").toString(), "--tenant", "acme"));
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("API key:").doesNotContain("WARNING");
  }

  @Test
  void theZipHoldsTheSameFiles() throws Exception {
    Path home = Distribution.unpack(dir);
    Set<String> unpacked = new TreeSet<>();
    try (Stream<Path> all = Files.walk(home)) {
      all.filter(Files::isRegularFile).forEach(p -> unpacked.add(home.getParent().relativize(p).toString()));
    }
    Set<String> zipped = new TreeSet<>();
    try (ZipFile zip = new ZipFile(Distribution.zip().toFile())) {
      zip.stream().filter(e -> !e.isDirectory()).forEach(e -> zipped.add(e.getName()));
    }
    assertThat(zipped).isEqualTo(unpacked);
  }

  @Test
  void versionRunsFromTheUnpackedTreeOnTheSimulator() throws Exception {
    Path home = Distribution.unpack(dir);

    Distribution.Result r = Distribution.run(dir, List.of(home.resolve("bin/ferry").toString(), "--version"));

    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("ferry " + Distribution.VERSION).containsPattern("JCo: ferry-jco-mock-\\S+\\.jar");
  }

  @Test
  void sapsJarDroppedIntoLibReplacesTheSimulator() throws Exception {
    Path home = Distribution.unpack(dir);
    Path mock;
    try (Stream<Path> libs = Files.list(home.resolve("lib"))) {
      mock = libs.filter(p -> p.getFileName().toString().startsWith("ferry-jco-mock-")).findFirst().orElseThrow();
    }
    // A stand-in with one class of the JCo API, named as SAP names its jar.
    try (JarFile in = new JarFile(mock.toFile());
        var out = new java.util.jar.JarOutputStream(Files.newOutputStream(home.resolve("lib/sapjco3.jar")))) {
      String entry = "com/sap/conn/jco/JCoDestinationManager.class";
      out.putNextEntry(new java.util.jar.JarEntry(entry));
      in.getInputStream(in.getJarEntry(entry)).transferTo(out);
      out.closeEntry();
    }

    Distribution.Result r = Distribution.run(dir, List.of(home.resolve("bin/ferry").toString(), "--version"),
        java.util.Map.of("FERRY_DEBUG_CLASSPATH", "1"));

    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("JCo: sapjco3.jar (SAP Java Connector)");
    String classPath = r.out().lines().filter(l -> l.startsWith("ferry: class path ")).findFirst().orElseThrow();
    assertThat(classPath).contains(home.resolve("lib/sapjco3.jar").toString()).doesNotContain("ferry-jco-mock");
  }

  /** On either SAP backend: {@code --sap odata} runs the OData test server from lib/demo/. */
  @ParameterizedTest(name = "--sap {0}")
  @ValueSource(strings = {"bapi", "odata"})
  void theDemoStartsFromTheUnpackedTreeAndAnswers(String sap) throws Exception {
    Path home = Distribution.unpack(dir);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process demo = new ProcessBuilder(home.resolve("bin/ferry").toString(), "demo", "--sap", sap, "--port",
        Integer.toString(port), "--data-dir", dir.resolve("demo-data").toString())
        .directory(dir.toFile()).redirectErrorStream(true).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          lines.add(l);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    });
    try {
      List<String> printed = new ArrayList<>();
      for (String l; (l = lines.poll(90, TimeUnit.SECONDS)) != null; ) {
        printed.add(l);
        if (l.startsWith("Press Ctrl-C")) {
          break;
        }
      }
      assertThat(printed).as("demo output").anyMatch(l -> l.startsWith("Press Ctrl-C"));
      assertThat(printed).contains("FERRY_URL=http://127.0.0.1:" + port);
      String apiKey = printed.stream().filter(l -> l.startsWith("FERRY_API_KEY=")).findFirst().orElseThrow()
          .substring("FERRY_API_KEY=".length());

      // Ready means an engine's call reaches an agent: /v1/connection says whether one is online.
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/connection"))
          .header("X-API-Key", apiKey).timeout(java.time.Duration.ofSeconds(30)).build();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      HttpResponse<String> connection;
      do {
        connection = http.send(probe, HttpResponse.BodyHandlers.ofString());
      } while (!connection.body().contains("\"agentOnline\":true") && System.nanoTime() < until
          && !Thread.interrupted() && pause());
      assertThat(connection.statusCode()).as(connection.body()).isEqualTo(200);
      assertThat(connection.body()).contains("\"agentOnline\":true");
    } finally {
      new ProcessBuilder("kill", "-TERM", Long.toString(demo.pid())).start().waitFor();
      boolean exited = demo.waitFor(30, TimeUnit.SECONDS);
      if (!exited) {
        demo.destroyForcibly();
      }
      assertThat(exited).as("demo stops on SIGTERM").isTrue();
    }
    reader.join(10_000);
    List<String> rest = new ArrayList<>();
    lines.drainTo(rest);
    assertThat(rest).contains("Stopped.");
  }

  /** Polling interval while waiting for the agent's first poll; false when interrupted. */
  private static boolean pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(200);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
