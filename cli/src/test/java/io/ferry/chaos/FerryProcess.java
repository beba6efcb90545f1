package io.ferry.chaos;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code ferry} command running as an operating-system process of its own ({@code java -cp
 * ferry.jar:lib/* io.ferry.cli.Main …}, exactly the classes the launcher runs), which the supervisor
 * can kill with SIGKILL and start again with the same arguments. Output goes to a log file per run.
 */
final class FerryProcess {

  private final String name;
  private final List<String> args;
  private final Map<String, String> env;
  private final Path logDir;
  private Process process;
  private int runs;

  /**
   * @param name for log files and figures ({@code relay-1}, {@code agent})
   * @param args the ferry command line after {@code ferry}, for example {@code relay serve --port 8080}
   * @param env variables added to a cleaned environment (no FERRY_* of the caller leaks in)
   */
  FerryProcess(String name, List<String> args, Map<String, String> env, Path logDir) {
    this.name = name;
    this.args = List.copyOf(args);
    this.env = Map.copyOf(env);
    this.logDir = logDir;
  }

  String name() {
    return name;
  }

  synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    runs++;
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.add("-Xmx256m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("--enable-native-access=ALL-UNNAMED"); // sqlite-jdbc loads its native library
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add("io.ferry.cli.Main");
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".log").toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("FERRY_"));
    pb.environment().putAll(env);
    Files.writeString(logDir.resolve(name + ".log"), "=== run " + runs + " ===\n",
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    process = pb.start();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed; then waits until the process is gone. */
  synchronized void kill9() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
    }
  }

  /** SIGTERM: the graceful stop a service manager asks for; SIGKILL after {@code seconds}. */
  synchronized int stop(int seconds) throws InterruptedException {
    if (process == null) {
      return -1;
    }
    process.destroy();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      return -1;
    }
    return process.exitValue();
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  Path log() {
    return logDir.resolve(name + ".log");
  }

  /** The JVM running this test (JDK 21 or newer, chosen by ./mvnw). */
  private static String javaBinary() {
    return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** cli/target/ferry.jar and its libraries, as {@code package} built them. */
  static String classPath() {
    Path target = Path.of("target").toAbsolutePath();
    Path jar = target.resolve("ferry.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " does not exist: the chaos test runs after `package` (failsafe)");
    }
    return jar + File.pathSeparator + target.resolve("lib") + File.separator + "*";
  }
}
