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
      long rss, String firstError) {

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
    Resources.CpuWindow cpu = new Resources.CpuWindow();
    long start = System.nanoTime();
    endAt[0] = start + length.toNanos();
    go.countDown(); // publishes endAt to the callers
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = System.nanoTime() - start;
    double cores = cpu.coresUsed();
    long heap = Resources.ownHeapUsed();
    long rss = Resources.ownRss().orElse(-1);
    Histogram all = new Histogram(3);
    histograms.forEach(all::add);
    return new Result(all.getTotalCount(), errors.get(), Duration.ofNanos(elapsed), all, cores, heap, rss,
        firstError.get());
  }
}
