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
