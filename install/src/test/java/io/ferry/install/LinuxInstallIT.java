package io.ferry.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * linux/install.sh and uninstall.sh from the unpacked distribution, installing into a temporary root
 * ({@code --root}: useradd, chown and systemctl skipped), as an unattended install would with flags only.
 */
class LinuxInstallIT {

  @TempDir Path dir;
  Path home;
  Path root;

  @BeforeEach
  void unpack() throws Exception {
    home = Distribution.unpack(dir);
    root = dir.resolve("root");
  }

  private Distribution.Result install(Map<String, String> env, String... flags) throws Exception {
    List<String> command = new ArrayList<>(List.of(home.resolve("linux/install.sh").toString(), "--root", root.toString()));
    command.addAll(List.of(flags));
    return Distribution.run(dir, command, env);
  }

  private Distribution.Result uninstall(String... flags) throws Exception {
    List<String> command = new ArrayList<>(List.of(home.resolve("linux/uninstall.sh").toString(), "--root", root.toString()));
    command.addAll(List.of(flags));
    return Distribution.run(dir, command);
  }

  private static final String[] AGENT_FLAGS = {"--unattended", "--user", "ferry-svc", "--sap-ashost", "erp.example.local",
      "--sap-sysnr", "00", "--sap-client", "200", "--sap-user", "FERRY_RFC", "--set", "agent.workers=8"};

  @Test
  void anUnattendedInstallLaysOutFilesWithTheirModesAndASecondRunChangesNothing() throws Exception {
    Map<String, String> env = Map.of("FERRY_SAP_PASSWORD", "s3cr\"et");
    Distribution.Result first = install(env, AGENT_FLAGS);
    assertThat(first.exit()).as(first.out()).isZero();
    assertThat(first.out()).as("every answer given: nothing to edit").contains("wrote ").doesNotContain("edit it");
    Map<String, String> afterFirst = snapshot(root);
    // Coarse file systems keep times to the second or two: a rewrite would show after this.
    Thread.sleep(2100);

    Distribution.Result second = install(env, AGENT_FLAGS);
    assertThat(second.exit()).as(second.out()).isZero();
    assertThat(snapshot(root)).as("files, modes, contents and modification times").isEqualTo(afterFirst);
    assertThat(second.out()).doesNotContain("wrote ", "edit it");

    assertThat(mode("etc/ferry")).isEqualTo("rwxr-x---");
    assertThat(mode("etc/ferry/agent.properties")).as("root's, read by the service's group").isEqualTo("rw-r-----");
    assertThat(mode("etc/ferry/agent.env")).isEqualTo("rw-------");
    assertThat(mode("var/lib/ferry")).isEqualTo("rwxr-x---");
    assertThat(mode("var/lib/ferry/agent")).isEqualTo("rwx------");
    assertThat(mode("etc/systemd/system/ferry-agent.service")).isEqualTo("rw-r--r--");
    assertThat(mode("opt/ferry/releases/" + Distribution.VERSION + "/bin/ferry")).isEqualTo("rwxr-xr-x");
    assertThat(Files.readSymbolicLink(root.resolve("opt/ferry/current"))).isEqualTo(Path.of("releases", Distribution.VERSION));

    String config = Distribution.read(root.resolve("etc/ferry/agent.properties"));
    assertThat(config.lines()).contains("agent.data-dir=/var/lib/ferry/agent", "agent.workers=8",
        "sap.jco.jco.client.ashost=erp.example.local", "sap.jco.jco.client.client=200", "sap.jco.jco.client.user=FERRY_RFC");
    assertThat(config.lines().filter(l -> l.startsWith("agent.workers="))).hasSize(1);
    assertThat(config).doesNotContain("s3cr");
    assertThat(Distribution.read(root.resolve("etc/ferry/agent.env"))).isEqualTo("FERRY_SAP_PASSWORD=\"s3cr\\\"et\"\n");

    String unit = Distribution.read(root.resolve("etc/systemd/system/ferry-agent.service"));
    assertThat(unit.lines()).contains(
        "ExecStart=/opt/ferry/current/bin/ferry agent run --config /etc/ferry/agent.properties",
        "User=ferry-svc", "EnvironmentFile=-/etc/ferry/agent.env", "NoNewPrivileges=true", "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/ferry/agent", "ProtectHome=true", "PrivateTmp=true", "Restart=on-failure",
        "RestartPreventExitStatus=3", "CapabilityBoundingSet=", "WantedBy=multi-user.target",
        "Type=exec", "PrivateMounts=yes", "ProtectProc=invisible", "SystemCallFilter=@system-service",
        "SystemCallErrorNumber=EPERM");
    assertThat(unit.lines().filter(l -> l.startsWith("ReadWritePaths="))).as("the agent's data only").hasSize(1);
    // ExitOnOutOfMemoryError ends the JVM with 3, the exit code RestartPreventExitStatus keeps down.
    assertThat(unit.lines().filter(l -> !l.startsWith("#"))).noneMatch(l -> l.contains("ExitOnOutOfMemoryError"))
        .contains("Environment=\"FERRY_JAVA_OPTS=-XX:+CrashOnOutOfMemoryError -XX:-CreateCoredumpOnCrash\"");
    assertThat(unit).as("every placeholder filled").doesNotContainPattern("@[A-Z_]+@");

    Distribution.Result version = Distribution.run(dir, List.of(root.resolve("opt/ferry/current/bin/ferry").toString(), "--version"));
    assertThat(version.out()).contains("ferry " + Distribution.VERSION);
  }

  /** systemd's own check of the unit install.sh writes, its paths pointed into the temporary root. */
  @Test
  void systemdAnalyzeVerifiesTheInstalledUnit() throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed on this host: skipping its check of the unit");
    assertThat(install(Map.of(), "--unattended").exit()).isZero();
    String unit = Distribution.read(root.resolve("etc/systemd/system/ferry-agent.service"));
    Path copy = Files.createDirectories(dir.resolve("verify")).resolve("ferry-agent.service");
    Files.writeString(copy, unit.replace("/opt/ferry/", root + "/opt/ferry/"));

    Distribution.Result r = Distribution.run(dir, List.of(analyze.toString(), "verify", copy.toString()));

    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).as("systemd's remarks on the unit").doesNotContain("ferry-agent.service:");

    // systemd's rating of the sandbox (0 best, 10 worst): 3.2 before SystemCallFilter, ProtectProc and
    // PrivateMounts, 1.5 with them on systemd 252. --offline needs systemd 250.
    assumeTrue(systemdVersion(analyze) >= 250, "systemd-analyze security --offline needs systemd 250 or newer");
    Distribution.Result security = Distribution.run(dir, List.of(analyze.toString(), "security", "--offline=true",
        "--threshold=20", copy.toString()));
    assertThat(security.exit()).as(security.out()).isZero();
  }

  private int systemdVersion(Path analyze) throws Exception {
    Matcher m = Pattern.compile("^systemd (\\d+)").matcher(Distribution.run(dir, List.of(analyze.toString(), "--version")).out());
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  /**
   * Issue 15: --sap-client and --sap-user wrote the RFC and the OData settings both, and every first run said
   * "edit it". Now each answer becomes the chosen backend's setting only, and "edit it" comes only with a
   * missing answer, named.
   */
  @Test
  void onlyTheChosenBackendsSettingsAreWrittenAndEditItOnlyWhenAnAnswerIsMissing() throws Exception {
    Distribution.Result odata = install(Map.of(), "--unattended", "--sap-backend", "odata", "--sap-client", "300",
        "--sap-user", "FERRY_ODATA", "--sap-odata-url", "https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER");
    assertThat(odata.exit()).as(odata.out()).isZero();
    assertThat(odata.out()).doesNotContain("edit it");
    List<String> lines = Distribution.read(root.resolve("etc/ferry/agent.properties")).lines().toList();
    assertThat(lines).contains("sap.backend=odata", "sap.odata.client=300", "sap.odata.user=FERRY_ODATA",
        "sap.odata.service-url=https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER");
    assertThat(lines).as("no RFC setting is in force").noneMatch(l -> l.startsWith("sap.jco."));

    Distribution.Result rfcFlagOnOdata = install(Map.of(), "--unattended", "--sap-ashost", "erp.example.local");
    assertThat(rfcFlagOnOdata.exit()).isEqualTo(2);
    assertThat(rfcFlagOnOdata.out()).contains("--sap-ashost", "are for --sap-backend bapi; this agent uses odata");

    Path other = dir.resolve("other");
    Distribution.Result bapi = Distribution.run(dir, List.of(home.resolve("linux/install.sh").toString(), "--root",
        other.toString(), "--unattended", "--sap-client", "300", "--sap-user", "FERRY_RFC"));
    assertThat(bapi.exit()).as(bapi.out()).isZero();
    assertThat(bapi.out()).contains("lacks the SAP system (sap.jco.jco.client.ashost or mshost", "edit it");
    List<String> rfc = Distribution.read(other.resolve("etc/ferry/agent.properties")).lines().toList();
    assertThat(rfc).contains("sap.jco.jco.client.client=300", "sap.jco.jco.client.user=FERRY_RFC")
        .noneMatch(l -> l.startsWith("sap.odata."));
  }

  @Test
  void theRelayOnAPrivilegedPortGetsTheBindCapabilityAndNothingElse() throws Exception {
    Distribution.Result r = install(Map.of(), "--role", "relay", "--unattended", "--port", "443",
        "--public-url", "https://relay.example.com");
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).as("a relay needs no more answers").doesNotContain("edit it");

    String unit = Distribution.read(root.resolve("etc/systemd/system/ferry-relay.service"));
    assertThat(unit.lines()).contains("ExecStart=/opt/ferry/current/bin/ferry relay serve --config /etc/ferry/relay.properties",
        "CapabilityBoundingSet=CAP_NET_BIND_SERVICE", "AmbientCapabilities=CAP_NET_BIND_SERVICE", "User=ferry",
        "ReadWritePaths=/var/lib/ferry/relay");
    assertThat(Distribution.read(root.resolve("etc/ferry/relay.properties")).lines())
        .contains("relay.port=443", "relay.public-url=https://relay.example.com", "relay.data-dir=/var/lib/ferry/relay");
    assertThat(mode("var/lib/ferry/relay")).isEqualTo("rwx------");
    assertThat(mode("etc/ferry/relay.properties")).isEqualTo("rw-r-----");
  }

  /**
   * The service's user tries to rewrite its own policy. As root, for a user this host has (daemon stands in
   * for ferry), install.sh sets owners below --root as on a real host: the configuration is root's, the
   * service's group reads it; the data directory is the service's. The user then reads agent.properties but
   * can neither append a wider {@code policy.actions} nor swap in a file of its own, cannot read the SAP
   * password in agent.env, and writes its own data directory only. The enrollment install.sh made (as root)
   * still works: the agent, run as that user, polls the relay.
   */
  @Test
  void theServiceUserReadsItsConfigurationButCannotRewriteItsPolicy() throws Exception {
    assumeTrue(isRoot() && Files.isExecutable(Path.of("/usr/bin/setpriv")) && hasUserAndGroup(SERVICE_USER),
        "needs root, setpriv and a user and group named " + SERVICE_USER + " to set and test owners");
    // The temporary folder is the test's own; the service's user must be able to reach the root below it.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Relay relay = startRelay();
    Process agent = null;
    try {
      Distribution.Result r = install(Map.of("FERRY_SAP_PASSWORD", "s3cret"), "--unattended", "--user", SERVICE_USER,
          "--relay-url", relay.url(), "--enrollment-token", relay.token(), "--agent-name", "plant-8");
      assertThat(r.exit()).as(r.out()).isZero();

      assertThat(owner("etc/ferry")).isEqualTo("root:" + SERVICE_USER);
      assertThat(owner("etc/ferry/agent.properties")).isEqualTo("root:" + SERVICE_USER);
      assertThat(mode("etc/ferry/agent.properties")).isEqualTo("rw-r-----");
      assertThat(owner("etc/ferry/agent.env")).isEqualTo("root:root");
      assertThat(mode("etc/ferry/agent.env")).isEqualTo("rw-------");
      assertThat(owner("var/lib/ferry")).isEqualTo("root:" + SERVICE_USER);
      assertThat(owner("var/lib/ferry/agent")).isEqualTo(SERVICE_USER + ":" + SERVICE_USER);
      assertThat(mode("var/lib/ferry/agent")).isEqualTo("rwx------");
      assertThat(owner("var/lib/ferry/agent/credentials.json")).isEqualTo(SERVICE_USER + ":" + SERVICE_USER);
      assertThat(owner("opt/ferry/releases/" + Distribution.VERSION + "/bin/ferry")).isEqualTo("root:root");

      Path config = root.resolve("etc/ferry/agent.properties");
      String before = Distribution.read(config);
      assertThat(asServiceUser("cat", config.toString()).exit()).as("the service reads its configuration").isZero();
      assertThat(asServiceUser("sh", "-c", "echo policy.actions=customer.create,customer.update >> \"$0\"", config.toString()).exit())
          .as("appending to agent.properties").isNotZero();
      assertThat(asServiceUser("sh", "-c", "cp \"$0\" \"$0.mine\" && mv \"$0.mine\" \"$0\"", config.toString()).exit())
          .as("replacing agent.properties").isNotZero();
      assertThat(asServiceUser("rm", "-f", config.toString()).exit()).as("removing agent.properties").isNotZero();
      assertThat(Distribution.read(config)).isEqualTo(before);
      assertThat(asServiceUser("cat", root.resolve("etc/ferry/agent.env").toString()).exit()).as("reading agent.env").isNotZero();
      assertThat(asServiceUser("touch", root.resolve("opt/ferry/current/bin/ferry").toString()).exit())
          .as("changing the program").isNotZero();
      assertThat(asServiceUser("mkdir", root.resolve("var/lib/ferry/relay").toString()).exit())
          .as("making a directory beside its own").isNotZero();
      assertThat(asServiceUser("touch", root.resolve("var/lib/ferry/agent/probe").toString()).exit())
          .as("writing its own data directory").isZero();

      Path agentData = root.resolve("var/lib/ferry/agent");
      // As systemd would start it: as the service's user, the SAP password from the environment file.
      ProcessBuilder run = new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + SERVICE_USER, "--regid=" + SERVICE_USER,
          "--init-groups", "--", root.resolve("opt/ferry/current/bin/ferry").toString(), "agent", "run",
          "--config", config.toString(), "--data-dir", agentData.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile());
      run.environment().put("FERRY_SAP_PASSWORD", "s3cret");
      agent = run.start();
      awaitOutput(List.of(home.resolve("bin/ferry").toString(), "agent", "status", "--data-dir", agentData.toString(),
          "--output", "json"), Map.of(), "\"lastSuccessfulPoll\"");
      awaitOutput(List.of(home.resolve("bin/ferry").toString(), "admin", "agents", "list", "--relay", relay.url(), "--output", "json"),
          Map.of("FERRY_ADMIN_KEY", relay.adminKey()), "\"name\" : \"plant-8\"");

      // Class data sharing: the agent, stopped, leaves its archive in its own data directory (the only place it
      // may write), and the next start loads the agent's classes from it.
      stop(agent);
      List<Path> archives;
      try (var files = Files.list(agentData)) {
        archives = files.filter(f -> f.getFileName().toString().matches("ferry-agent-\\d+\\.jsa")).toList();
      }
      assertThat(archives).as(Files.readString(dir.resolve("agent.log"))).singleElement()
          .satisfies(a -> assertThat(Files.size(a)).as("a full archive, above bin/ferry's threshold").isGreaterThan(12_000_000));
      assertThat(owner("var/lib/ferry/agent/" + archives.get(0).getFileName())).isEqualTo(SERVICE_USER + ":" + SERVICE_USER);
      run.redirectOutput(dir.resolve("agent-2.log").toFile()).environment().put("FERRY_JAVA_OPTS", "-Xlog:class+load=info");
      agent = run.start();
      awaitLog(dir.resolve("agent-2.log"), "FERRY-AGENT-0003");
      assertThat(Files.readString(dir.resolve("agent-2.log"))).contains("io.ferry.agent.Agent source: shared objects file");
    } finally {
      stop(agent, relay.process());
    }
  }

  private static final String SERVICE_USER = "daemon";

  private static boolean isRoot() throws Exception {
    return "root".equals(Files.getOwner(Path.of("/proc/self")).getName());
  }

  private boolean hasUserAndGroup(String name) throws Exception {
    return Distribution.run(dir, List.of("getent", "passwd", name)).exit() == 0
        && Distribution.run(dir, List.of("getent", "group", name)).exit() == 0;
  }

  private Distribution.Result asServiceUser(String... command) throws Exception {
    List<String> all = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + SERVICE_USER, "--regid=" + SERVICE_USER,
        "--init-groups", "--"));
    all.addAll(List.of(command));
    return Distribution.run(dir, all);
  }

  private String owner(String relative) throws Exception {
    PosixFileAttributes a = Files.readAttributes(root.resolve(relative), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    return a.owner().getName() + ":" + a.group().getName();
  }

  @Test
  void uninstallKeepsConfigurationAndDataUnlessPurged() throws Exception {
    assertThat(install(Map.of(), "--unattended").exit()).isZero();
    Path config = root.resolve("etc/ferry/agent.properties");
    Files.writeString(config, Distribution.read(config) + "# the operator's note\n");
    Path identity = Files.writeString(root.resolve("var/lib/ferry/agent/credentials.json"), "{}");

    Distribution.Result kept = uninstall();
    assertThat(kept.exit()).as(kept.out()).isZero();
    assertThat(root.resolve("etc/systemd/system/ferry-agent.service")).doesNotExist();
    assertThat(root.resolve("opt/ferry")).doesNotExist();
    assertThat(Distribution.read(config)).contains("# the operator's note");
    assertThat(identity).exists();
    assertThat(kept.out()).contains("--purge");

    assertThat(install(Map.of(), "--unattended").exit()).isZero();
    assertThat(Distribution.read(config)).as("a reinstall keeps the configuration").contains("# the operator's note");

    Distribution.Result purged = uninstall("--purge");
    assertThat(purged.exit()).as(purged.out()).isZero();
    assertThat(root.resolve("etc/ferry")).doesNotExist();
    assertThat(root.resolve("var/lib/ferry")).doesNotExist();
    assertThat(uninstall("--purge").exit()).as("a second uninstall is harmless").isZero();
  }

  @Test
  void badFlagsAreRefusedBeforeAnythingIsWritten() throws Exception {
    Distribution.Result role = install(Map.of(), "--role", "database");
    assertThat(role.exit()).isEqualTo(2);
    assertThat(role.out()).contains("--role must be agent or relay");
    Distribution.Result token = install(Map.of(), "--unattended", "--enrollment-token", "fe_x");
    assertThat(token.exit()).isEqualTo(2);
    assertThat(token.out()).contains("--enrollment-token needs --relay-url");
    assertThat(root.resolve("etc")).doesNotExist();
  }

  /**
   * The whole unattended path against a real relay started from the same distribution: install.sh
   * enrolls the agent with the one-time token, the staged agent runs and polls, and the relay lists it
   * with its version. A second install with the (now used) token leaves the enrollment alone.
   */
  @Test
  void anUnattendedInstallEnrollsTheAgentWithARealRelay() throws Exception {
    Path ferry = home.resolve("bin/ferry");
    Relay started = startRelay();
    String relayUrl = started.url();
    String token = started.token();
    String adminKey = started.adminKey();
    Process relay = started.process();
    Process agent = null;
    try {
      Distribution.Result r = install(Map.of(), "--unattended", "--relay-url", relayUrl, "--enrollment-token", token,
          "--agent-name", "plant-7");
      assertThat(r.exit()).as(r.out()).isZero();
      assertThat(r.out()).contains("Enrolled as agent");
      Path agentData = root.resolve("var/lib/ferry/agent");
      assertThat(agentData.resolve("credentials.json")).exists();

      Distribution.Result again = install(Map.of(), "--unattended", "--relay-url", relayUrl, "--enrollment-token", token);
      assertThat(again.exit()).as(again.out()).isZero();
      assertThat(again.out()).contains("already enrolled");

      // As systemd would start it, the SAP password coming from the environment file.
      ProcessBuilder run = new ProcessBuilder(root.resolve("opt/ferry/current/bin/ferry").toString(), "agent", "run",
          "--config", root.resolve("etc/ferry/agent.properties").toString(), "--data-dir", agentData.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile());
      run.environment().put("FERRY_SAP_PASSWORD", "secret");
      agent = run.start();
      awaitOutput(List.of(ferry.toString(), "agent", "status", "--data-dir", agentData.toString(), "--output", "json"),
          Map.of(), "\"lastSuccessfulPoll\"");
      String listed = awaitOutput(List.of(ferry.toString(), "admin", "agents", "list", "--relay", relayUrl, "--output", "json"),
          Map.of("FERRY_ADMIN_KEY", adminKey), "\"name\" : \"plant-7\"");
      assertThat(listed).contains("\"version\" : \"" + Distribution.VERSION + "\"", "\"lastSeen\"");
    } finally {
      stop(agent, relay);
    }
  }

  /** A relay bootstrapped for the tenant acme and serving from the unpacked distribution. */
  private record Relay(String url, String token, String adminKey, Process process) {}

  private Relay startRelay() throws Exception {
    Path ferry = home.resolve("bin/ferry");
    Path relayData = dir.resolve("relay-data");
    Distribution.Result boot = Distribution.run(dir, List.of(ferry.toString(), "relay", "bootstrap", "--data-dir",
        relayData.toString(), "--tenant", "acme"));
    assertThat(boot.exit()).as(boot.out()).isZero();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;
    Process process = new ProcessBuilder(ferry.toString(), "relay", "serve", "--port", Integer.toString(port),
        "--data-dir", relayData.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("relay.log").toFile()).start();
    try {
      awaitHttp(url + "/openapi.json", "\"openapi\"");
    } catch (AssertionError | Exception e) {
      stop(process);
      throw e;
    }
    return new Relay(url, field(boot.out(), "enrollment token:"), field(boot.out(), "admin key:"), process);
  }

  private static void stop(Process... processes) throws InterruptedException {
    for (Process p : processes) {
      if (p != null) {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  /** Runs {@code command} until it succeeds and prints {@code expected}, for at most 90 s. */
  private String awaitOutput(List<String> command, Map<String, String> env, String expected) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    Distribution.Result r;
    do {
      r = Distribution.run(dir, command, env);
    } while (!(r.exit() == 0 && r.out().contains(expected)) && System.nanoTime() < until);
    assertThat(r.out()).as(String.join(" ", command) + "\n" + Files.readString(dir.resolve("agent.log"))).contains(expected);
    return r.out();
  }

  /** Waits until {@code log} contains {@code expected}, for at most 90 s. */
  private static void awaitLog(Path log, String expected) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!(Files.exists(log) && Files.readString(log).contains(expected)) && System.nanoTime() < until) {
      TimeUnit.MILLISECONDS.sleep(100); // polling a file another process writes
    }
    assertThat(Files.readString(log)).contains(expected);
  }

  private static void awaitHttp(String url, String expected) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < until) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains(expected)) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // the relay is still starting
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError(url + " did not answer within 90 s");
  }

  private static String field(String output, String label) {
    return output.lines().filter(l -> l.startsWith(label)).findFirst().orElseThrow(() -> new AssertionError(label + " in " + output))
        .substring(label.length()).trim().split("\\s+")[0];
  }

  private String mode(String relative) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(relative), LinkOption.NOFOLLOW_LINKS));
  }

  /** Every file, folder and link below {@code top}: its kind, mode and content digest or link target. */
  private static Map<String, String> snapshot(Path top) throws Exception {
    Map<String, String> all = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(top)) {
      for (Path p : walk.toList()) {
        String state;
        if (Files.isSymbolicLink(p)) {
          state = "link " + Files.readSymbolicLink(p);
        } else {
          String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
          String modified = " " + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
          state = Files.isDirectory(p) ? "dir " + mode + modified
              : "file " + mode + modified + " "
                  + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        }
        all.put(top.relativize(p).toString(), state);
      }
    }
    return all;
  }
}
