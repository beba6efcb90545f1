package io.ferry.bench;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One way of running the workload: straight on the simulated SAP, or through a relay and an agent with
 * one store and dispatch. Every scenario runs the same workload in each mode; the figures of the floor
 * mode are what the others are compared with.
 */
interface Mode {

  /** Short name on the command line ({@code --modes floor,sqlite}). */
  String key();

  /** What the table shows, for example {@code (b) relay+agent, SQLite}. */
  String label();

  /** Why this build cannot run the mode; empty when it can. */
  Optional<String> unavailable();

  /** Whether a relay sits between the callers and SAP (pickup latency exists only then). */
  boolean relayed();

  /** Starts what the mode needs, in {@code dir}. */
  Target open(Path dir, Settings settings) throws Exception;

  /** A process of a mode, by its role ({@code relay}, {@code agent}). */
  record Measured(String role, long pid) {}

  /** A started mode: creates one customer per call, from many threads at once. */
  interface Target extends AutoCloseable {

    /** Creates one customer and returns once SAP has it (or throws). */
    void create(long seq) throws Exception;

    /** The in-process probe of queued → leased times; null when the mode has no queue. */
    default PickupProbe pickup() {
      return null;
    }

    /** Processes of the mode whose CPU is measured apart (relay, agent); none when all runs in this JVM. */
    default java.util.List<Measured> processes() {
      return java.util.List.of();
    }

    @Override
    void close() throws Exception;
  }
}
