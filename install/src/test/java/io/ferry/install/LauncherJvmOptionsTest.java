package io.ferry.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM options bin/ferry gives each command, seen by a fake {@code java} that prints its arguments:
 * {@code agent run} gets the agent's defaults, every other command none, {@code FERRY_AGENT_JAVA_OPTS}
 * replaces them and {@code FERRY_JAVA_OPTS} comes after them, so its options win.
 */
class LauncherJvmOptionsTest {

  private static final Path BIN = Path.of("bin").toAbsolutePath();
  private static final Pattern SH_DEFAULTS = Pattern.compile("(?m)^agent_defaults=\"([^\"]*)\"$");
  private static final Pattern CMD_DEFAULTS = Pattern.compile("(?m)^set \"AGENT_DEFAULTS=([^\"]*)\"$");

  @TempDir Path dir;
  private Path javaHome;
  private Path lib;

  @BeforeEach
  void fakeJavaAndLib() throws IOException {
    javaHome = dir.resolve("jdk");
    Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
    // Answers -version as a Java 21 does (select-jdk.sh asks), otherwise prints one argument a line.
    Files.writeString(java, """
        #!/bin/sh
        if [ "$1" = -version ]; then echo 'openjdk version "21.0.4" 2024-07-16' >&2; exit 0; fi
        printf '%s\\n' "$@"
        """);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    lib = Files.createDirectories(dir.resolve("lib"));
    Files.createFile(lib.resolve("ferry.jar"));
  }

  static List<String> defaults() throws IOException {
    Matcher m = SH_DEFAULTS.matcher(Files.readString(BIN.resolve("ferry")));
    assertThat(m.find()).as("agent_defaults=\"…\" in bin/ferry").isTrue();
    return List.of(m.group(1).split(" "));
  }

  @Test
  void agentRunGetsASmallSerialHeap() throws Exception {
    assertThat(defaults()).contains("-XX:+UseSerialGC").anyMatch(o -> o.startsWith("-Xmx"));
    List<String> args = launch(Map.of(), "agent", "run", "--config", "agent.properties");
    assertThat(args).containsSequence(defaults());
    assertThat(args).endsWith("io.ferry.cli.Main", "agent", "run", "--config", "agent.properties");
  }

  @Test
  void otherCommandsKeepTheJvmsOwnDefaults() throws Exception {
    for (List<String> command : List.of(List.of("relay", "serve"), List.of("agent", "status"), List.of("demo"),
        List.of("admin", "agents", "list"), List.of("run", "agent"), List.<String>of())) {
      List<String> args = launch(Map.of(), command.toArray(String[]::new));
      assertThat(args).as(String.join(" ", command)).doesNotContainAnyElementsOf(defaults());
      assertThat(args).as(String.join(" ", command)).noneMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:"));
    }
  }

  @Test
  void ferryAgentJavaOptsReplacesTheDefaults() throws Exception {
    List<String> args = launch(Map.of("FERRY_AGENT_JAVA_OPTS", "-XX:+UseG1GC -Xmx256m"), "agent", "run");
    assertThat(args).contains("-XX:+UseG1GC", "-Xmx256m").doesNotContainAnyElementsOf(defaults());
    assertThat(launch(Map.of("FERRY_AGENT_JAVA_OPTS", "-Xmx256m"), "relay", "serve")).doesNotContain("-Xmx256m");
  }

  @Test
  void ferryJavaOptsComeLastSoTheyWin() throws Exception {
    List<String> args = launch(Map.of("FERRY_JAVA_OPTS", "-Xmx200m -XX:+ExitOnOutOfMemoryError"), "agent", "run");
    String defaultXmx = defaults().stream().filter(o -> o.startsWith("-Xmx")).findFirst().orElseThrow();
    assertThat(args).containsSubsequence(defaultXmx, "-Xmx200m", "-XX:+ExitOnOutOfMemoryError", "io.ferry.cli.Main");
    assertThat(launch(Map.of("FERRY_JAVA_OPTS", "-Xmx200m"), "relay", "serve")).contains("-Xmx200m");
  }

  /**
   * {@code agent run} keeps its class data sharing archive in the agent's data directory (found as the agent
   * finds it: --data-dir, FERRY_AGENT_DATA_DIR, agent.data-dir in --config's file), never in the installation,
   * which the service cannot write; without a writable directory to name, the options stay off.
   */
  @Test
  void agentRunSharesClassDataInItsDataDirectory() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path config = Files.writeString(dir.resolve("agent.properties"), "sap.backend=bapi\nagent.data-dir = " + data + "\n");

    List<String> args = launch(Map.of("FERRY_JAVA_OPTS", "-Xshare:off"), "agent", "run", "--config", config.toString());
    String archive = archive(args, data);
    assertThat(args).containsSubsequence(defaults().get(0), archive, "-XX:+AutoCreateSharedArchive", "-Xshare:off",
        "io.ferry.cli.Main");
    assertThat(launch(Map.of(), "agent", "run", "--config=" + config)).contains(archive);
    assertThat(launch(Map.of("FERRY_AGENT_JAVA_OPTS", "-XX:+UseG1GC"), "agent", "run", "--config", config.toString()))
        .as("FERRY_AGENT_JAVA_OPTS replaces the memory options, not the archive").contains(archive);

    Path other = Files.createDirectories(dir.resolve("other"));
    archive(launch(Map.of(), "agent", "run", "--config", config.toString(), "--data-dir", other.toString()), other);
    archive(launch(Map.of("FERRY_AGENT_DATA_DIR", other.toString()), "agent", "run", "--config", config.toString()), other);

    Path missing = Files.writeString(dir.resolve("missing.properties"), "agent.data-dir=" + dir.resolve("nowhere") + "\n");
    assertThat(launch(Map.of(), "agent", "run", "--config", missing.toString()))
        .noneMatch(a -> a.startsWith("-XX:SharedArchiveFile") || a.equals("-XX:+AutoCreateSharedArchive"));
    assertThat(launch(Map.of(), "agent", "status", "--config", config.toString()))
        .noneMatch(a -> a.startsWith("-XX:SharedArchiveFile"));
  }

  /**
   * The JVM ignores an archive made for other jars rather than rewriting it: after an upgrade the agent gets a
   * new archive file, and the one of the earlier jars is removed from its data directory.
   */
  @Test
  void anUpgradeGetsANewArchiveAndTheOldOneIsRemoved() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    String before = archive(launch(Map.of(), "agent", "run", "--data-dir", data.toString()), data);
    Path old = Files.writeString(Path.of(before.substring(before.indexOf('=') + 1)), "an archive of the old jars");

    Files.writeString(lib.resolve("ferry.jar"), "the next version");
    String after = archive(launch(Map.of(), "agent", "run", "--data-dir", data.toString()), data);
    assertThat(after).isNotEqualTo(before);
    assertThat(old).doesNotExist();

    // An archive of a start that ended early (a few classes) is removed, so the next stop writes a full one.
    Path small = Files.writeString(Path.of(after.substring(after.indexOf('=') + 1)), "a start that ended early");
    launch(Map.of(), "agent", "run", "--data-dir", data.toString());
    assertThat(small).doesNotExist();
  }

  /** The -XX:SharedArchiveFile option naming a file in {@code data}. */
  private static String archive(List<String> args, Path data) {
    String prefix = "-XX:SharedArchiveFile=" + data.resolve("ferry-agent-");
    assertThat(args).anyMatch(a -> a.startsWith(prefix) && a.endsWith(".jsa"));
    return args.stream().filter(a -> a.startsWith(prefix)).findFirst().orElseThrow();
  }

  /** bin/ferry.cmd cannot run here; it must carry the same defaults and the same order of options. */
  @Test
  void theWindowsLauncherHasTheSameDefaults() throws Exception {
    String cmd = Files.readString(BIN.resolve("ferry.cmd"));
    Matcher m = CMD_DEFAULTS.matcher(cmd);
    assertThat(m.find()).as("set \"AGENT_DEFAULTS=…\" in bin/ferry.cmd").isTrue();
    assertThat(List.of(m.group(1).split(" "))).isEqualTo(defaults());
    assertThat(cmd).contains("if \"%~1\"==\"agent\" if \"%~2\"==\"run\" (",
        "if defined FERRY_AGENT_JAVA_OPTS (set \"AGENT_OPTS=!FERRY_AGENT_JAVA_OPTS!\")",
        "%JVM_OPTS% !AGENT_OPTS! !CDS_OPTS! %FERRY_JAVA_OPTS%",
        "set \"CDS_OPTS=-XX:SharedArchiveFile=!DATA_DIR!\\ferry-agent.jsa -XX:+AutoCreateSharedArchive -Xlog:cds=off,cds+dynamic=off\"");
  }

  /** Runs bin/ferry with the fake java, with none of the caller's FERRY_* options; answers java's arguments. */
  private List<String> launch(Map<String, String> env, String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(BIN.resolve("ferry").toString());
    pb.command().addAll(List.of(args));
    pb.environment().keySet().removeIf(k -> k.startsWith("FERRY_"));
    pb.environment().put("JAVA_HOME", javaHome.toString());
    pb.environment().put("FERRY_LIB", lib.toString());
    pb.environment().putAll(env);
    Process p = pb.directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }
}
