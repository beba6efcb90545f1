package io.ferry.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One run of the tool, as the command line set it.
 *
 * @param modes the modes to run, keys of {@link Modes#all()}
 * @param scenarios the scenarios to run, keys of {@link Scenarios}
 * @param concurrency the numbers of concurrent callers of the sync-create scenario
 * @param step how long each sync-create level is measured
 * @param warmup how long each mode runs before anything is measured (JIT, connection pools, SQLite caches)
 * @param duration how long the sustained-throughput scenario is measured
 * @param sustainedCallers concurrent callers of the sustained-throughput scenario
 * @param agentWorkers the agent's workers (agent.workers) in every relayed mode
 * @param idleAgents agents long-polling one relay in the idle-agents scenario
 * @param idleWindow how long the idle scenarios (many agents, one agent) are observed
 * @param startupRuns how many times an agent process is started to time its first poll
 * @param workDir where relays, agents and logs of this run live
 * @param launcher the class path of real ferry processes (this tool's lib directory)
 * @param shortRun whether this is a short development run (said in the report)
 * @param postgres the PostgreSQL server of modes (c), where each run creates and drops its own database
 */
record Settings(List<String> modes, List<String> scenarios, List<Integer> concurrency, Duration step, Duration warmup,
    Duration duration, int sustainedCallers, int agentWorkers, int idleAgents, Duration idleWindow, int startupRuns,
    Path workDir, FerryProcess.Launcher launcher, boolean shortRun, Postgres postgres, boolean idleOnStreams) {

  /**
   * A PostgreSQL server and a user that may create databases.
   *
   * @param host {@code host:port}
   * @param user the user
   * @param password null for none (trust authentication); never shown
   */
  record Postgres(String host, String user, String password) {
    @Override
    public String toString() {
      return "Postgres[" + user + "@" + host + "]";
    }
  }

  /** Prefix of this run's external ids: runs against one simulator never collide. */
  String runPrefix() {
    return "B" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36) + "-";
  }
}
