package io.ferry.agent.status;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Rewrites the status file every {@link StatusFile#INTERVAL} while the agent runs, and removes it at stop. */
public final class StatusReporter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);

  private final Path dataDir;
  private final Supplier<AgentStatus> status;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      r -> Thread.ofPlatform().name("ferry-status").daemon(true).unstarted(r));
  private volatile boolean warned;

  public StatusReporter(Path dataDir, Supplier<AgentStatus> status) {
    this.dataDir = dataDir;
    this.status = status;
  }

  public void start(Duration every) {
    timer.scheduleWithFixedDelay(this::writeNow, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Writes the status once; a failure is logged once and the next turn tries again. */
  public void writeNow() {
    try {
      StatusFile.write(dataDir, status.get());
      warned = false;
    } catch (IOException | RuntimeException e) {
      if (!warned) {
        log.warn("FERRY-AGENT-0140 cannot write the status file {}: {}; `ferry agent status` will say the agent is not "
            + "running", StatusFile.in(dataDir), e.toString());
        warned = true;
      }
    }
  }

  /** Stops writing and removes the file: a stopped agent is not running. Idempotent. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("FERRY-AGENT-0141 the status writer did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      StatusFile.delete(dataDir);
    } catch (IOException e) {
      log.warn("FERRY-AGENT-0140 cannot remove the status file {}: {}", StatusFile.in(dataDir), e.toString());
    }
  }
}
