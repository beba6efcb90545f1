package io.ferry.agent.exec;

import io.ferry.agent.relay.RelayClient;
import io.ferry.agent.relay.RelayException;
import io.ferry.protocol.JobEnvelope;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the lease of each running job at a fixed interval, so a slow BAPI never loses its job to
 * another agent, while a dead agent's job returns to the queue within one lease.
 */
public final class LeaseKeeper implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  private final Renewer relay;
  private final Duration every;
  /** Jobs whose leases are kept: the jobs running now, which each renewal reports as the agent's in-flight count. */
  private final AtomicInteger running = new AtomicInteger();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("ferry-lease").daemon(true).unstarted(r));

  public LeaseKeeper(RelayClient relay, Duration every) {
    this((job, inFlight) -> relay.renewLease(job.jobId(), job.attempt(), inFlight), every);
  }

  /** @param renewer renews one job's lease: at the relay, or the visibility of its SQS message */
  public LeaseKeeper(Renewer renewer, Duration every) {
    this.relay = renewer;
    this.every = every;
  }

  /** Renews the lease of one running job; {@link RelayException.Kind#REJECTED} when it is lost for good. */
  @FunctionalInterface
  public interface Renewer {
    void renew(JobEnvelope job, int inFlight) throws RelayException;
  }

  /** Starts renewing; close the returned handle when the job is done. */
  public AutoCloseable keep(JobEnvelope job) {
    ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
    running.incrementAndGet();
    self[0] = timer.scheduleAtFixedRate(() -> renew(job, self[0]), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        running.decrementAndGet();
      }
      self[0].cancel(false);
    };
  }

  private void renew(JobEnvelope job, ScheduledFuture<?> self) {
    try {
      relay.renew(job, running.get());
      log.debug("lease of job {} renewed", job.jobId());
    } catch (RelayException e) {
      if (e.kind() == RelayException.Kind.REJECTED) {
        log.warn("FERRY-AGENT-0102 lease of job {} attempt {} was lost ({}); the SAP call finishes, its result will be refused",
            job.jobId(), job.attempt(), e.getMessage());
        if (self != null) {
          self.cancel(false);
        }
      } else {
        log.debug("lease renewal of job {} failed, retrying at the next interval: {}", job.jobId(), e.getMessage());
      }
    } catch (RuntimeException e) {
      log.warn("FERRY-AGENT-0103 lease renewal of job {} failed unexpectedly", job.jobId(), e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
