package io.ferry.agent.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.ManagementFactory;

/**
 * Micrometer's JVM binders named as Prometheus' linter ({@code promtool check metrics}) accepts them. Two
 * names of {@code ProcessorMetrics} break its rules: {@code process.cpu.time} is exposed as
 * {@code process_cpu_time_ns_total} (an abbreviated unit, and nanoseconds where Prometheus counts seconds),
 * and {@code system.cpu.count} as {@code system_cpu_count}, which reads as a histogram's count. The first is
 * replaced by {@code process_cpu_seconds_total}, the name Prometheus' own client libraries give it; the
 * second becomes {@code system_cpus}. {@code io.ferry.relay.metrics.JvmMeters} is the same class on the other side (the relay and the
 * agent share no metrics code).
 */
final class JvmMeters {

  private static final String CPU_TIME_NS = "process.cpu.time";
  private static final String CPU_COUNT = "system.cpu.count";

  private JvmMeters() {}

  /** Filters for the JVM binders' names; set before they are bound (a filter applies to meters registered later). */
  static void promtoolClean(MeterRegistry registry) {
    registry.config()
        .meterFilter(MeterFilter.deny(id -> id.getName().equals(CPU_TIME_NS)))
        .meterFilter(new MeterFilter() {
          @Override
          public Meter.Id map(Meter.Id id) {
            return id.getName().equals(CPU_COUNT) ? id.withName("system.cpus") : id;
          }
        });
  }

  /** {@code process_cpu_seconds_total}: the CPU time the process used, where the JVM can tell it. */
  static void processCpuSeconds(MeterRegistry registry) {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu", os, b -> {
            long nanos = b.getProcessCpuTime();
            return nanos < 0 ? Double.NaN : nanos / 1e9;
          })
          .baseUnit("seconds").description("The CPU time the process used").register(registry);
    }
  }
}
