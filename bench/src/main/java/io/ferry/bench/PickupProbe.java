package io.ferry.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.ferry.relay.dispatch.Dispatcher;
import io.ferry.relay.sqs.SqsDispatch;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.slf4j.LoggerFactory;

/**
 * Queued → leased, measured inside the relay without changing it: the dispatcher logs "job … queued"
 * right after the job is committed and "job … leased to agent …" right after the claim is committed,
 * each on the thread that did it. This appender notes {@link System#nanoTime()} at both and records the
 * difference per job. A job handed to a poll that was waiting is queued and leased in one commit, logged as one
 * line ("job … queued and leased to agent …"): its pickup is 0. With SQS dispatch a job is never leased to an agent: the relay leases it to SQS and logs
 * "job … sent to SQS queue …" once SQS accepted the message, which ends the pickup there. Unsynchronized: the
 * probe must not serialise the dispatcher threads it watches.
 */
final class PickupProbe extends UnsynchronizedAppenderBase<ILoggingEvent> {

  private final Map<String, Long> queuedAt = new ConcurrentHashMap<>();
  private volatile Histogram histogram = new Histogram(3);
  private final Logger logger = (Logger) LoggerFactory.getLogger(Dispatcher.class);
  private final Logger sqsLogger = (Logger) LoggerFactory.getLogger(SqsDispatch.class);

  static PickupProbe install() {
    PickupProbe probe = new PickupProbe();
    probe.setName("ferry-bench-pickup");
    probe.setContext(probe.logger.getLoggerContext());
    probe.start();
    if (!probe.logger.isInfoEnabled()) {
      probe.logger.setLevel(Level.INFO);
    }
    probe.logger.addAppender(probe);
    if (!probe.sqsLogger.isInfoEnabled()) {
      probe.sqsLogger.setLevel(Level.INFO);
    }
    probe.sqsLogger.addAppender(probe);
    return probe;
  }

  void uninstall() {
    logger.detachAppender(this);
    sqsLogger.detachAppender(this);
    stop();
  }

  /** Forgets what was recorded (the warm-up's jobs). */
  synchronized void reset() {
    histogram = new Histogram(3);
    queuedAt.clear();
  }

  /** Pickup latencies recorded since the last reset, in microseconds. */
  synchronized Histogram snapshot() {
    return histogram.copy();
  }

  @Override
  protected void append(ILoggingEvent event) {
    long now = System.nanoTime();
    String message = event.getMessage();
    Object[] args = event.getArgumentArray();
    if (message == null || args == null || args.length == 0) {
      return;
    }
    String jobId = String.valueOf(args[0]);
    if (message.startsWith("job {} queued and leased")) { // handed to a waiting poll in the commit that queued it
      synchronized (this) {
        histogram.recordValue(0);
      }
    } else if (message.startsWith("job {} queued")) {
      queuedAt.put(jobId, now);
    } else if (message.startsWith("job {} leased") || message.startsWith("job {} sent to SQS")) {
      Long queued = queuedAt.remove(jobId);
      if (queued != null) {
        long micros = TimeUnit.NANOSECONDS.toMicros(now - queued);
        synchronized (this) {
          histogram.recordValue(Math.max(0, micros));
        }
      }
    }
  }
}
