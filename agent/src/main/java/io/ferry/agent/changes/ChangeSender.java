package io.ferry.agent.changes;

import io.ferry.agent.poll.Backoff;
import io.ferry.agent.poll.Sleeper;
import io.ferry.agent.relay.RelayException;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.change.ChangeBatch;
import io.ferry.protocol.change.ChangeEvent;
import io.ferry.protocol.change.ChangeReceipt;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts the change outbox to the relay ({@link Protocol#CHANGES_PATH}) in batches of at most
 * {@link ChangeBatch#MAX_EVENTS}, oldest first, on a daemon thread. An event leaves the outbox only once the relay
 * answered its batch with a {@link ChangeReceipt}; while the relay fails, the sender backs off and tries again, and
 * what it has not sent at stop is sent after the next start: delivery is at least once, the events' ids let the relay
 * drop repeats.
 */
public final class ChangeSender implements AutoCloseable {

  /** Where batches go: the relay's change endpoint ({@code RelayClient::sendChanges}). */
  @FunctionalInterface
  public interface Destination {
    ChangeReceipt send(ChangeBatch batch) throws RelayException;
  }

  /** How long an idle sender waits before looking at the outbox again, when no scan woke it. */
  static final Duration IDLE = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(ChangeSender.class);

  private final ChangeJournal journal;
  private final Destination relay;
  private final Backoff backoff;
  private final Clock clock;
  private final IntConsumer sent;
  private final Sleeper sleeper = new Sleeper();
  private final Object emptied = new Object();
  private volatile boolean stopping;
  private Thread thread;

  /** @param sent told how many events each confirmed batch held (the metric) */
  public ChangeSender(ChangeJournal journal, Destination relay, Backoff backoff, Clock clock, IntConsumer sent) {
    this.journal = journal;
    this.relay = relay;
    this.backoff = backoff;
    this.clock = clock;
    this.sent = sent;
  }

  public synchronized ChangeSender start() {
    if (thread == null) {
      int left = journal.pendingCount();
      if (left > 0) {
        log.info("FERRY-AGENT-0524 {} change event(s) from an earlier run are waiting to be sent", left);
      }
      thread = Thread.ofPlatform().name("ferry-change-sender").daemon(true).start(this::run);
    }
    return this;
  }

  /** A scan stored events: send them now rather than at the next idle look. */
  public void wakeUp() {
    sleeper.wakeUp();
  }

  /**
   * Sends one batch of the outbox, if there is one; answers how many events the relay confirmed (0: nothing
   * waited). A {@link RelayException} leaves the batch in the outbox.
   */
  public int sendOnce() throws RelayException {
    List<ChangeEvent> batch = journal.pending(ChangeBatch.MAX_EVENTS);
    if (batch.isEmpty()) {
      return 0;
    }
    ChangeReceipt receipt = relay.send(new ChangeBatch(Protocol.VERSION, batch));
    if (receipt == null) {
      throw RelayException.of(RelayException.Kind.PROTOCOL, "the relay answered a change batch without a receipt",
          null);
    }
    journal.sent(batch.stream().map(ChangeEvent::id).toList(), clock.instant());
    sent.accept(batch.size());
    log.debug("{} change event(s) sent: {} new to the relay, {} repeated", batch.size(), receipt.added(),
        receipt.repeated());
    return batch.size();
  }

  private void run() {
    while (!stopping) {
      Duration wait;
      try {
        int n = sendOnce();
        backoff.success();
        if (n == 0) {
          synchronized (emptied) {
            emptied.notifyAll();
          }
        }
        wait = n == 0 ? IDLE : Duration.ZERO;
      } catch (RelayException e) {
        backoff.failure(e.kind() == RelayException.Kind.BUSY ? Backoff.Failure.THROTTLED : Backoff.Failure.ERROR,
            e.retryAfter());
        wait = backoff.nextDelay();
        if (e.kind() == RelayException.Kind.CANCELLED && stopping) {
          return;
        }
        log.warn("FERRY-AGENT-0522 change events cannot be sent yet ({}: {}); {} kept in the journal, next try in "
            + "{} ms", e.kind(), e.getMessage(), journal.pendingCount(), wait.toMillis());
      } catch (RuntimeException e) {
        backoff.failure(Backoff.Failure.ERROR);
        wait = backoff.nextDelay();
        log.warn("FERRY-AGENT-0523 the change sender failed inside the agent ({}: {}); it tries again",
            e.getClass().getSimpleName(), e.getMessage());
      }
      if (!wait.isZero()) {
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Waits until the outbox is empty, up to {@code timeout}; true when it is. For tests and a graceful stop. */
  public boolean awaitEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (journal.pendingCount() > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wakeUp();
      synchronized (emptied) {
        emptied.wait(Math.max(1, Math.min(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(left), 100)));
      }
    }
    return true;
  }

  /** Stops the sender; a batch on the wire ends with its request. What is left is sent after the next start. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      stopping = true;
      t = thread;
    }
    sleeper.wakeUp();
    if (t != null) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int left = journal.pendingCount();
    if (left > 0) {
      log.info("FERRY-AGENT-0524 {} change event(s) not sent at stop; sent after the next start", left);
    }
  }
}
