package io.ferry.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * A closed loop: {@code callers} threads each create, wait for the answer, create again, for a fixed
 * time. Each call's latency goes into the caller's own histogram (no contention); they are added up at
 * the end. CPU and memory are this process's over the measured window.
 */
final class LoadRun {

  /** What one measured window gave. */
  record Result(long calls, long errors, Duration elapsed, Histogram latencyMicros, double cpuCores, long heapUsed,
      long rss, String firstError, java.util.Map<String, Long> processCpuNanos) {

    /** CPU time of the mode's own processes (relay and agent) per call, in microseconds; null when there are none. */
    Double processMicrosPerCall() {
      if (processCpuNanos.isEmpty() || calls == 0) {
        return null;
      }
      return processCpuNanos.values().stream().mapToLong(Long::longValue).sum() / 1000.0 / calls;
    }

    double throughput() {
      return elapsed.isZero() ? 0 : calls / (elapsed.toNanos() / 1e9);
    }
  }

  private LoadRun() {}

  /** Runs {@code callers} callers for {@code warmup} unmeasured, then for {@code measured}. */
  static Result run(Mode.Target target, int callers, Duration warmup, Duration measured, AtomicLong seq)
      throws InterruptedException {
    if (!warmup.isZero()) {
      window(target, callers, warmup, seq, () -> { });
    }
    PickupProbe probe = target.pickup();
    return window(target, callers, measured, seq, probe == null ? () -> { } : probe::reset);
  }

  /** Load for {@code length}, measured by nothing: a server's JIT and caches warmed by the load it will see. */
  static void warm(Mode.Target target, int callers, Duration length, AtomicLong seq) throws InterruptedException {
    if (!length.isZero()) {
      window(target, callers, length, seq, () -> { });
    }
  }

  /** A warm-up goes on in windows of this length while the JIT is still busy. */
  static final Duration SETTLE_WINDOW = Duration.ofSeconds(5);
  /** The JIT counts as settled when no process compiled for more than this share of a window. */
  static final double SETTLED_SHARE = 0.02;
  /** The longest a warm-up goes on past its minimum for the JIT to settle. */
  static final Duration LONGEST_SETTLING = Duration.ofMinutes(2);

  /**
   * Load for at least {@code minimum}, then on in windows of {@link #SETTLE_WINDOW} while the JIT compilers of any
   * process of the mode (the relay's, the agent's, this JVM's with the load generator and whatever runs in it) spent
   * more than {@link #SETTLED_SHARE} of the last window compiling, for at most {@link #LONGEST_SETTLING} more. On a
   * slow machine the C2 compiler of a fresh relay process went on compiling for a minute and a half under load, a
   * quarter of the relay's CPU at first; relay and agent are services that run for months, and their steady state is
   * what is measured. Where no compile time can be read (no jcmd), and for a minimum shorter than a window (a
   * {@code --short} run, the tests), the minimum is all.
   *
   * @return how long the warm-up took
   */
  static Duration warmUntilSettled(Mode.Target target, int callers, Duration minimum, AtomicLong seq,
      java.io.PrintStream progress) throws InterruptedException {
    warm(target, callers, minimum, seq);
    if (minimum.compareTo(SETTLE_WINDOW) < 0) {
      return minimum;
    }
    Duration spent = minimum;
    java.util.Map<String, Long> before = compileMillis(target);
    while (!before.isEmpty() && spent.compareTo(minimum.plus(LONGEST_SETTLING)) < 0) {
      warm(target, callers, SETTLE_WINDOW, seq);
      spent = spent.plus(SETTLE_WINDOW);
      java.util.Map<String, Long> after = compileMillis(target);
      java.util.List<String> busy = new ArrayList<>();
      for (var e : after.entrySet()) {
        Long was = before.get(e.getKey());
        if (was != null && e.getValue() - was > SETTLED_SHARE * SETTLE_WINDOW.toMillis()) {
          busy.add(e.getKey() + " " + (e.getValue() - was) + " ms");
        }
      }
      if (busy.isEmpty()) {
        break;
      }
      progress.println("    warm-up " + Scenarios.human(spent) + ": the JIT still compiles (in the last "
          + Scenarios.human(SETTLE_WINDOW) + ": " + String.join(", ", busy) + ")");
      before = after;
    }
    return spent;
  }

  /** JIT compile time so far of this JVM and of each of the mode's processes, by role. */
  private static java.util.Map<String, Long> compileMillis(Mode.Target target) {
    java.util.Map<String, Long> ms = new java.util.LinkedHashMap<>();
    Resources.ownCompileMillis().ifPresent(n -> ms.put("bench", n));
    for (Mode.Measured m : target.processes()) {
      Resources.compileMillis(m.pid()).ifPresent(n -> ms.put(m.role(), n));
    }
    return ms;
  }

  private static Result window(Mode.Target target, int callers, Duration length, AtomicLong seq, Runnable atStart)
      throws InterruptedException {
    List<Histogram> histograms = new ArrayList<>();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(callers);
    CountDownLatch go = new CountDownLatch(1);
    long[] endAt = new long[1];
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      Histogram h = new Histogram(3);
      histograms.add(h);
      threads.add(Thread.ofPlatform().name("bench-caller-" + i).start(() -> {
        ready.countDown();
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        while (System.nanoTime() < endAt[0]) {
          long start = System.nanoTime();
          try {
            target.create(seq.incrementAndGet());
            h.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start)));
          } catch (Exception e) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, e.toString());
          }
        }
      }));
    }
    ready.await();
    atStart.run();
    java.util.Map<String, Long> processCpu0 = processCpu(target);
    Resources.CpuWindow cpu = new Resources.CpuWindow();
    long start = System.nanoTime();
    endAt[0] = start + length.toNanos();
    go.countDown(); // publishes endAt to the callers
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = System.nanoTime() - start;
    double cores = cpu.coresUsed();
    java.util.Map<String, Long> processCpu = new java.util.LinkedHashMap<>();
    processCpu(target).forEach((role, nanos) -> {
      Long before = processCpu0.get(role);
      if (before != null) {
        processCpu.put(role, nanos - before);
      }
    });
    long heap = Resources.ownHeapUsed();
    long rss = Resources.ownRss().orElse(-1);
    Histogram all = new Histogram(3);
    histograms.forEach(all::add);
    return new Result(all.getTotalCount(), errors.get(), Duration.ofNanos(elapsed), all, cores, heap, rss,
        firstError.get(), processCpu);
  }

  /** CPU time so far of each of the mode's processes, by role; a process without /proc figures is left out. */
  private static java.util.Map<String, Long> processCpu(Mode.Target target) {
    java.util.Map<String, Long> cpu = new java.util.LinkedHashMap<>();
    for (Mode.Measured m : target.processes()) {
      Resources.cpuNanos(m.pid()).ifPresent(n -> cpu.put(m.role(), n));
    }
    return cpu;
  }
}
