package io.ferry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code ferry} process ({@code io.ferry.cli.Main}, as {@code install/bin/ferry} starts it): a relay
 * or an agent whose CPU and memory are its own, not mixed with the benchmark's.
 */
final class FerryProcess implements AutoCloseable {

  /**
   * How to start ferry: this JVM's {@code java} and class path. Run as {@code java -jar ferry-bench.jar}, the
   * class path is the jar, whose manifest names every jar in {@code lib/} (ferry's own, jco-mock among them).
   */
  record Launcher(Path java, String classPath) {
    static Launcher current() {
      return new Launcher(Path.of(System.getProperty("java.home"), "bin", "java"),
          System.getProperty("java.class.path"));
    }

    List<String> command(List<String> jvmOptions, List<String> args) {
      List<String> command = new ArrayList<>();
      command.add(java.toString());
      command.add("--enable-native-access=ALL-UNNAMED"); // as install/bin/ferry
      command.addAll(jvmOptions);
      command.add("-cp");
      command.add(classPath);
      command.add("io.ferry.cli.Main");
      command.addAll(args);
      return command;
    }
  }

  private static final Pattern LISTENING = Pattern.compile("listening on (https?://\\S+)");

  private final Process process;
  private final Path log;

  private FerryProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code ferry <args>}; its standard error (the log) and standard output go to {@code log}. */
  static FerryProcess start(Launcher launcher, List<String> jvmOptions, List<String> args, Map<String, String> env,
      Path log) throws IOException {
    return start(launcher, jvmOptions, args, env, log, false);
  }

  /**
   * As {@link #start(Launcher, List, List, Map, Path)}; with {@code readOutput} the standard output stays a pipe
   * for the caller, who must keep reading it (a full pipe stops the process).
   */
  private static FerryProcess start(Launcher launcher, List<String> jvmOptions, List<String> args,
      Map<String, String> env, Path log, boolean readOutput) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(launcher.command(jvmOptions, args)).redirectError(log.toFile());
    if (!readOutput) {
      pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }
    pb.environment().putAll(env);
    return new FerryProcess(pb.start(), log);
  }

  /** A relay: {@code ferry relay serve} on a free loopback port; returns once it listens. */
  static Started<FerryProcess> relay(Launcher launcher, List<String> jvmOptions, Path dataDir, Path log)
      throws IOException, InterruptedException {
    return relay(launcher, jvmOptions, dataDir, log, List.of());
  }

  /** As {@link #relay(Launcher, List, Path, Path)}, with more arguments of {@code relay serve}. */
  static Started<FerryProcess> relay(Launcher launcher, List<String> jvmOptions, Path dataDir, Path log,
      List<String> moreArgs) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("relay", "serve", "--host", "127.0.0.1", "--port", "0",
        "--data-dir", dataDir.toString()));
    args.addAll(moreArgs);
    FerryProcess p = start(launcher, jvmOptions, args, Map.of(), log, true);
    CompletableFuture<URI> url = CompletableFuture.supplyAsync(() -> {
      // Not closed here: once the address is found, the drain thread owns the reader (closing it while that thread
      // reads would wait for the read, and the address would never be returned).
      BufferedReader r = new BufferedReader(new InputStreamReader(p.process.getInputStream(), StandardCharsets.UTF_8));
      try {
        String line;
        while ((line = r.readLine()) != null) {
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            URI found = URI.create(m.group(1));
            // Keep draining its output so the relay never blocks on a full pipe.
            Thread.ofVirtual().start(() -> drain(r));
            return found;
          }
        }
      } catch (IOException e) {
        // falls through
      }
      return null;
      // Its own thread: on two cores the common pool has one, and a task of the bench's may hold it.
    }, task -> Thread.ofPlatform().daemon().name("ferry-bench-relay-output").start(task));
    // The address is on standard output and in the log; whichever is seen first.
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (true) {
      try {
        URI u = url.get(500, TimeUnit.MILLISECONDS);
        if (u == null) {
          throw new IOException("the relay process ended before it listened; see " + log);
        }
        return new Started<>(p, u);
      } catch (java.util.concurrent.TimeoutException e) {
        Optional<URI> logged = listeningIn(log);
        if (logged.isPresent()) {
          return new Started<>(p, logged.get());
        }
        if (!p.process.isAlive()) {
          throw new IOException("the relay process ended before it listened; see " + log);
        }
        if (System.nanoTime() > deadline) {
          p.close();
          throw new IOException("the relay process did not listen within 3 minutes; see " + log, e);
        }
      } catch (java.util.concurrent.ExecutionException e) {
        p.close();
        throw new IOException("could not read the relay process's output; see " + log, e);
      }
    }
  }

  private static Optional<URI> listeningIn(Path log) {
    try {
      Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
      return m.find() ? Optional.of(URI.create(m.group(1))) : Optional.empty();
    } catch (IOException | java.io.UncheckedIOException e) {
      return Optional.empty();
    }
  }

  record Started<T>(T process, URI url) {}

  private static void drain(BufferedReader r) {
    try (r) {
      while (r.readLine() != null) {
        // discard
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** The last lines of its log, for an error message. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM (ferry stops gracefully), then a kill after 20 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }
}
