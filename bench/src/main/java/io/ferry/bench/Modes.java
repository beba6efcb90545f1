package io.ferry.bench;

import io.ferry.agent.customer.CustomerPort;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.setup.SapBackends;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The modes of the issue, (a) to (d), and the two-relay variant of (c). */
final class Modes {

  static final String FLOOR = "floor";
  static final String SQLITE = "sqlite";
  static final String PROCESSES = "processes";
  static final String WIRE = "wire";
  static final String POSTGRES = "postgres";
  static final String POSTGRES_TWO_RELAYS = "postgres-2";
  static final String SQS = "sqs";

  private Modes() {}

  /** Every mode, in table order; each knows whether this build can run it. */
  static Map<String, Mode> all() {
    Map<String, Mode> modes = new LinkedHashMap<>();
    modes.put(FLOOR, new Floor());
    modes.put(SQLITE, new Relayed(SQLITE, "(b) relay+agent, SQLite", null, 1, Backing.Factory.of(Backing.EMBEDDED)));
    // (b) as it is deployed: relay and agent each a process of its own (the targets are for this).
    modes.put(PROCESSES, new Processes(PROCESSES, "(b) relay and agent processes, SQLite", ProcessStack::start));
    // What (b) as processes would cost with Ferry's stack and commits but none of its logic: the part of the CPU per
    // create that is Ferry's own work, and so how far the targets are from what the machine allows.
    modes.put(WIRE, new Processes(WIRE, "(w) wire floor: HTTP, WebSocket, fsynced commits only",
        (dir, settings) -> WireFloor.start(dir)));
    modes.put(POSTGRES, new Relayed(POSTGRES, "(c) relay+agent, PostgreSQL", null, 1, BenchDatabase::create));
    // What docs/scaling.md describes: two relays on one database, the engine calling relay A while the
    // agent polls relay B, so every job crosses from one relay to the other through PostgreSQL's NOTIFY.
    modes.put(POSTGRES_TWO_RELAYS, new Relayed(POSTGRES_TWO_RELAYS,
        "(c2) 2 relays+agent, PostgreSQL (engine → A, agent → B)", null, 2, BenchDatabase::create));
    // (d): the relay sends each job to an SQS queue (ElasticMQ in this JVM), the agent receives it from there
    // and answers through the results queue (docs/scaling-sqs.md).
    modes.put(SQS, new Relayed(SQS, "(d) relay+agent, SQS (ElasticMQ)", null, 1, BenchQueue::start));
    return modes;
  }

  static List<String> keys() {
    return List.copyOf(all().keySet());
  }

  /** Whether the mode keeps its jobs in PostgreSQL (for the targets' explanations). */
  static boolean postgres(String key) {
    return key.equals(POSTGRES) || key.equals(POSTGRES_TWO_RELAYS);
  }

  /** (a): the agent's SAP backend on the simulator, called straight from the benchmark's threads. */
  static final class Floor implements Mode {
    @Override
    public String key() {
      return FLOOR;
    }

    @Override
    public String label() {
      return "(a) simulated SAP in-process";
    }

    @Override
    public Optional<String> unavailable() {
      return Optional.empty();
    }

    @Override
    public boolean relayed() {
      return false;
    }

    @Override
    public Target open(Path dir, Settings settings) {
      SapBackend sap = SapBackends.open(Workload.SIMULATED_SAP);
      CustomerPort customers = sap.port(CustomerPort.class).orElseThrow();
      String run = settings.runPrefix();
      return new Target() {
        @Override
        public void create(long seq) throws Exception {
          customers.create(Workload.customer(Workload.externalId(run, seq)));
        }

        @Override
        public void close() {
          sap.close();
          Workload.forgetCustomers();
        }
      };
    }
  }

  /**
   * A relay and an agent, each a process of its own, started by {@code opener}: Ferry's own ({@link ProcessStack}) or
   * the wire floor's ({@link WireFloor}).
   */
  record Processes(String key, String label, Opener opener) implements Mode {
    /** Starts the two processes in {@code dir}. */
    @FunctionalInterface
    interface Opener {
      Target open(Path dir, Settings settings) throws Exception;
    }

    @Override
    public Optional<String> unavailable() {
      return Optional.empty();
    }

    @Override
    public boolean relayed() {
      return true;
    }

    @Override
    public Target open(Path dir, Settings settings) throws Exception {
      return opener.open(dir, settings);
    }
  }

  /**
   * (b) to (d): an engine's HTTP calls to a relay on loopback, an agent polling it (or, with two relays,
   * polling the other one), the simulated SAP behind; what differs is the {@link Backing}.
   */
  static final class Relayed implements Mode {
    private final String key;
    private final String label;
    private final String unavailable;
    private final int relays;
    private final Backing.Factory backing;

    Relayed(String key, String label, String unavailable, int relays, Backing.Factory backing) {
      this.key = key;
      this.label = label;
      this.unavailable = unavailable;
      this.relays = relays;
      this.backing = backing;
    }

    @Override
    public String key() {
      return key;
    }

    @Override
    public String label() {
      return label;
    }

    @Override
    public Optional<String> unavailable() {
      return Optional.ofNullable(unavailable);
    }

    @Override
    public boolean relayed() {
      return true;
    }

    @Override
    public Target open(Path dir, Settings settings) throws Exception {
      Backing b = backing.open(dir, settings);
      try {
        return InProcessStack.start(dir, settings, b, relays);
      } catch (Exception | Error e) {
        b.close();
        throw e;
      }
    }
  }
}
