package io.ferry.agent.changes;

import io.ferry.agent.customer.CustomerReads;
import io.ferry.agent.sap.SapCall;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Customer;
import io.ferry.protocol.change.ChangeEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks SAP on a schedule which customers were created or changed, reads each through the same guarded call a
 * {@code customer.read} job makes, and stores the events in the {@link ChangeJournal}'s outbox with the watermark.
 *
 * <p>Each scan looks from the watermark less {@code agent.changes.overlap}: a change SAP committed late (its time
 * before the last scan, its commit after it) is still found. What the overlap finds again has the same event id and
 * is not stored or sent twice. The first scan of an agent looks back the overlap only: the feed starts when watching
 * does. A scan that fails leaves the watermark where it was, the next one covers its window.
 */
public final class CustomerWatcher implements AutoCloseable {

  static final String OBJECT = "customer";
  private static final Logger log = LoggerFactory.getLogger(CustomerWatcher.class);

  private final CustomerChangePort port;
  private final CustomerReads reads;
  private final SapCalls sap;
  private final ChangeJournal journal;
  private final ChangeSettings settings;
  private final Clock clock;
  private final IntConsumer found;
  private final Runnable stored;
  private ScheduledExecutorService timer;

  /**
   * @param sap the layers the change query passes (retries, breaker, metering)
   * @param found told how many new events each scan stored (the metric)
   * @param stored told when a scan stored new events (the sender's wake-up)
   */
  public CustomerWatcher(CustomerChangePort port, CustomerReads reads, SapCalls sap, ChangeJournal journal,
      ChangeSettings settings, Clock clock, IntConsumer found, Runnable stored) {
    this.port = port;
    this.reads = reads;
    this.sap = sap;
    this.journal = journal;
    this.settings = settings;
    this.clock = clock;
    this.found = found;
    this.stored = stored;
  }

  /**
   * One scan: the changes since the watermark less the overlap, each customer read, the new events stored and the
   * watermark moved to this scan's start, in one transaction. Answers how many events were new.
   */
  public int scan() throws SapException {
    Instant now = clock.instant();
    Instant watermark = journal.watermark(OBJECT).orElse(now);
    Instant from = watermark.minus(settings.overlap());
    LocalDateTime sapFrom = LocalDateTime.ofInstant(from, settings.sapTimeZone());
    List<FoundChange> changes = sap.run(SapCall.repeatable("changes", "the customer changes",
        () -> port.since(sapFrom)));
    // What the overlap finds again is known by its id before the customer is read: SAP is asked only for news.
    Map<String, FoundChange> fresh = new LinkedHashMap<>();
    for (FoundChange change : changes) {
      fresh.putIfAbsent(idOf(change), change);
    }
    fresh.keySet().removeAll(journal.known(fresh.keySet()));
    Map<String, ChangeEvent> events = new LinkedHashMap<>();
    Map<String, Optional<Customer>> customers = new HashMap<>();
    for (Map.Entry<String, FoundChange> e : fresh.entrySet()) {
      FoundChange change = e.getValue();
      Optional<Customer> customer = customers.get(change.customerNumber());
      if (customer == null) {
        customer = reads.readIfAllowed(change.customerNumber());
        customers.put(change.customerNumber(), customer);
      }
      if (customer.isEmpty()) {
        continue; // deleted meanwhile, or outside policy.sales-organizations: never reported
      }
      Customer c = customer.get();
      events.put(e.getKey(), new ChangeEvent(e.getKey(), type(change), change.customerNumber(), c.externalId(),
          instant(change), c));
    }
    // Oldest first, as the relay takes them (SAP's tables answer in no particular order).
    List<ChangeEvent> ordered = new ArrayList<>(events.values());
    ordered.sort(java.util.Comparator.comparing(ChangeEvent::changedAt));
    int added = journal.record(OBJECT, ordered, now);
    // Ids of confirmed events are kept while a scan can find their change again: a creation found by its date
    // alone (KNA1-ERDAT) has the day's start as its time, so back to the day before the window's.
    Instant forgetBefore = sapFrom.toLocalDate().minusDays(1).atStartOfDay(settings.sapTimeZone()).toInstant();
    journal.forgetSent(forgetBefore);
    log.debug("change scan of customers since {}: {} change(s) found, {} event(s) new", from, changes.size(), added);
    if (added > 0) {
      found.accept(added);
      stored.run();
    }
    return added;
  }

  private static String type(FoundChange change) {
    return change.created() ? ChangeEvent.CUSTOMER_CREATED : ChangeEvent.CUSTOMER_CHANGED;
  }

  private Instant instant(FoundChange change) {
    return change.changedAt().atZone(settings.sapTimeZone()).toInstant();
  }

  /** The event's stable id ({@link ChangeEvent#idOf}), known before the customer is read. */
  private String idOf(FoundChange change) {
    return ChangeEvent.idOf(type(change), change.customerNumber(), instant(change));
  }

  /** Scans now, on a daemon thread, and then every {@code agent.changes.interval} after the previous scan ended. */
  public synchronized CustomerWatcher start() {
    if (timer != null) {
      return this;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("ferry-changes")
        .daemon(true).unstarted(r));
    timer.scheduleWithFixedDelay(this::scanLogged, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    log.info("FERRY-AGENT-0520 watching customers for changes every {} s (overlap {} s, SAP time zone {})",
        settings.interval().toSeconds(), settings.overlap().toSeconds(), settings.sapTimeZone().getId());
    return this;
  }

  private void scanLogged() {
    try {
      scan();
    } catch (SapException e) {
      log.warn("FERRY-AGENT-0521 the change scan of customers failed ({} {}); the next scan, in {} s, covers its "
          + "window", e.kind(), e.code(), settings.interval().toSeconds());
    } catch (RuntimeException e) {
      // Never lets the timer die: a scheduled task that throws is not run again.
      log.warn("FERRY-AGENT-0523 the change watcher failed inside the agent ({}: {}); it tries again at the next scan",
          e.getClass().getSimpleName(), e.getMessage());
    }
  }

  /**
   * Stops the timer and waits a little for a scan under way: it ends with its SAP calls, its events stored or not at
   * all (one transaction), before the caller closes the journal.
   */
  @Override
  public void close() {
    ScheduledExecutorService t;
    synchronized (this) {
      t = timer;
      timer = null;
    }
    if (t != null) {
      t.shutdownNow();
      try {
        t.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
