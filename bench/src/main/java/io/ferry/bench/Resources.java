package io.ferry.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * CPU and memory of a process: this one through the platform MXBeans, another one (a real relay or agent
 * process) through {@code /proc/<pid>/stat} and {@code /proc/<pid>/status}, where the system has them.
 */
final class Resources {

  /** Linux reports CPU times in clock ticks; 100 per second on every mainstream kernel configuration. */
  private static final long TICKS_PER_SECOND = 100;

  private Resources() {}

  /** CPU time used by this JVM so far, in nanoseconds. */
  static long ownCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Heap in use by this JVM now, in bytes (live and not yet collected). */
  static long ownHeapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** This process's resident set size, in bytes, where {@code /proc} exists. */
  static OptionalLong ownRss() {
    return rss(ProcessHandle.current().pid());
  }

  /** VmRSS of the process, in bytes; empty where {@code /proc} is missing (macOS, Windows) or the process ended. */
  static OptionalLong rss(long pid) {
    return statusField(pid, "VmRSS:");
  }

  /** VmHWM (peak resident set) of the process, in bytes. */
  static OptionalLong peakRss(long pid) {
    return statusField(pid, "VmHWM:");
  }

  private static OptionalLong statusField(long pid, String field) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
      for (String line : lines) {
        if (line.startsWith(field)) {
          String[] parts = line.substring(field.length()).trim().split("\\s+");
          return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc here, or the process is gone
    }
    return OptionalLong.empty();
  }

  /** User plus system CPU time of another process, in nanoseconds, from {@code /proc/<pid>/stat}. */
  static OptionalLong cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
      return OptionalLong.of(ticks * 1_000_000_000L / TICKS_PER_SECOND);
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** Time this JVM's JIT compilers spent compiling so far, in milliseconds; empty when the JVM does not say. */
  static OptionalLong ownCompileMillis() {
    var jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? OptionalLong.of(jit.getTotalCompilationTime()) : OptionalLong.empty();
  }

  /**
   * Time another JVM's JIT compilers spent compiling so far, in milliseconds, as {@code jstat -compiler} reads it:
   * its {@code java.ci.totalTime} counter (in ticks of {@code sun.os.hrt.frequency}) through the {@code jcmd} next to
   * this JVM. Empty when jcmd is missing or the JVM keeps no counters (-XX:-UsePerfData).
   */
  static OptionalLong compileMillis(long pid) {
    return jcmd(pid, "PerfCounter.print").map(Resources::compileMillis).orElse(OptionalLong.empty());
  }

  /** The compile time in {@code jcmd PerfCounter.print}'s output ("java.ci.totalTime=123456" lines), in ms. */
  static OptionalLong compileMillis(String counters) {
    var total = java.util.regex.Pattern.compile("(?m)^java\\.ci\\.totalTime=(\\d+)").matcher(counters);
    var frequency = java.util.regex.Pattern.compile("(?m)^sun\\.os\\.hrt\\.frequency=(\\d+)").matcher(counters);
    if (!total.find() || !frequency.find() || Long.parseLong(frequency.group(1)) == 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(total.group(1)) * 1000 / Long.parseLong(frequency.group(1)));
  }

  /**
   * The Java heap in use by another JVM after a full collection (its live set), in bytes, asked with the
   * {@code jcmd} next to this JVM; empty when jcmd is missing or answers otherwise.
   */
  static OptionalLong liveHeap(long pid) {
    return jcmd(pid, "GC.run").flatMap(ran -> jcmd(pid, "GC.heap_info")).map(Resources::usedHeap)
        .orElse(OptionalLong.empty());
  }

  /** What the {@code jcmd} next to this JVM answers to {@code command} about another JVM; empty when it cannot. */
  private static Optional<String> jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return Optional.empty();
    }
    try {
      return Optional.of(run(jcmd.toString(), Long.toString(pid), command));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * The heap in use from {@code jcmd GC.heap_info}: one line per heap or generation at the start of a line. G1,
   * JDK 21: "garbage-first heap   total 262144K, used 12345K [...]"; JDK 25: "… total reserved …K, committed
   * …K, used 12345K [...]". The serial collector (the agent's default) has two: "DefNew     total 19648K, used
   * 7753K [...]" and "Tenured    total 43712K, used 2338K [...]".
   */
  static OptionalLong usedHeap(String heapInfo) {
    var m = java.util.regex.Pattern.compile("(?m)^\\S[^\\n]*?\\s+total [^\\n]*?used (\\d+)K").matcher(heapInfo);
    long kb = 0;
    boolean found = false;
    while (m.find()) {
      kb += Long.parseLong(m.group(1));
      found = true;
    }
    return found ? OptionalLong.of(kb * 1024) : OptionalLong.empty();
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(
        ProcessBuilder.Redirect.PIPE).start();
    CompletableFutureOutput out = new CompletableFutureOutput(p);
    if (!p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not answer within 2 minutes");
    }
    return out.text();
  }

  /** Reads a process's output beside it, so a full pipe never blocks the process. */
  private static final class CompletableFutureOutput {
    private final java.util.concurrent.CompletableFuture<String> text;

    CompletableFutureOutput(Process p) {
      text = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return new String(p.getInputStream().readAllBytes());
        } catch (IOException e) {
          return "";
        }
      });
    }

    String text() {
      try {
        return text.get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        return "";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "";
      }
    }
  }

  /** This JVM's live heap after a collection: what stays, not what happens to be uncollected. */
  static long ownLiveHeap() {
    System.gc();
    return ownHeapUsed();
  }

  /** A window of this process's CPU: process CPU time over wall time, 1.0 = one core busy. */
  static final class CpuWindow {
    private final long cpuStart = ownCpuNanos();
    private final long wallStart = System.nanoTime();

    double coresUsed() {
      long wall = System.nanoTime() - wallStart;
      return wall <= 0 ? 0 : (double) (ownCpuNanos() - cpuStart) / wall;
    }
  }
}
