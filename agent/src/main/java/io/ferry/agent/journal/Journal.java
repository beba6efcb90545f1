package io.ferry.agent.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.agent.poll.Backoff;
import io.ferry.agent.poll.Sleeper;
import io.ferry.agent.relay.RelayException;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.ResultBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The agent's journal: one SQLite file ({@code <data-dir>/journal.db}, WAL) holding, per job, whether it is
 * running, has an outcome waiting for delivery, or was delivered, with that outcome:
 *
 * <ul>
 *   <li>a job is marked {@link State#RUNNING} before SAP is called, on disk (the WAL fsynced) before
 *       {@link #running} returns: after a crash, even a power loss, the agent knows the job may have reached
 *       SAP (a create then looks its external id up first, so it is never created twice);
 *   <li>an outcome is stored ({@link State#PENDING}) before it is posted: a crash of the agent between SAP's
 *       commit and the relay's acknowledgement loses nothing, the next start sends it again;
 *   <li>a delivered outcome stays a day ({@link State#DELIVERED}): a job the relay hands out again (its
 *       lease lapsed while the answer was on the wire) is answered from here without calling SAP.
 * </ul>
 *
 * <p>Only the RUNNING mark waits for the disk. An outcome and its delivery survive a crash of the process
 * (SQLite's WAL is written before the commit returns) but not a power loss of the machine until the next
 * fsync, a few milliseconds later at most while jobs run: what such a loss can take is covered by the
 * RUNNING mark — the job is handed out again, and SAP is asked before anything is created. That spares
 * every job two disk waits; exactly-once needs only the one before SAP.
 *
 * <p>Writes that arrive while another commit waits for the disk are committed together, each in its own
 * savepoint (group commit): each caller still returns only once its own write is committed, but 32 workers
 * no longer queue for 32 fsyncs one after another.
 *
 * <p>A delivery's DELIVERED mark is not a transaction of its own: it waits in memory and is written with the
 * next transaction (a job's RUNNING or PENDING write while jobs run; the sender's next round, within
 * 30 s, when the agent is idle; at the latest when the journal closes). Lost in a crash, a mark costs a
 * second delivery of that outcome after the restart, which the relay answers as the same result; nothing
 * depends on it for exactly-once. {@link #find} and {@link #pendingCount} see the marks still in memory.
 *
 * <p>Per job this is one read (is the job known?, on a connection of its own, so that it waits for no commit), one fsynced transaction (RUNNING) and one transaction that
 * does not wait for the disk (PENDING, with the marks of outcomes delivered since), each of the one or two
 * statements prepared once on the journal's one connection, as are the statements that begin and end a
 * transaction.
 *
 * <p>The worker that stored an outcome posts it itself, at once, when the relay answered the last delivery;
 * one sender thread takes what is left — outcomes of an earlier run, or stored while the relay failed —
 * oldest first, up to {@link #PARALLEL} at once, and while the relay fails one at a time with back-off.
 * Outcomes go through a {@link ResultSender}: the relay's result endpoint, or (SQS transport) the group's
 * results queue.
 *
 * <p>Why one class of nearly 900 lines: the journal is the agent's one durable record, and its guarantees (nothing
 * sent twice to SAP after a crash, nothing lost before the relay confirmed it) come from how the schema, the group
 * commit and the sender's claims interlock; kept together so one reader can check them. The parts that stand alone
 * are apart ({@link ResultSender}, {@link OutboxImport}, {@link OwnerOnlyDatabase}).
 */
public final class Journal implements AutoCloseable {

  /** Where a job stands in this agent. */
  public enum State { RUNNING, PENDING, DELIVERED }

  /** A job as the journal knows it; {@code result} is null while it runs. */
  public record Entry(String jobId, State state, JobResult result) {}

  public static final String FILE_NAME = "journal.db";
  /** As long as the relay keeps idempotency records: a redelivery after that is a new request anyway. */
  static final Duration RETENTION = Duration.ofHours(24);
  private static final Duration PURGE_EVERY = Duration.ofHours(1);
  /** Deliveries in flight at most; the relay's store commits concurrent results together. */
  static final int PARALLEL = 16;
  /** Writes committed together at most: bounds one transaction and its callers' wait. */
  private static final int MAX_GROUP = 256;

  /** One write waiting for a commit; {@code done}, {@code result} and {@code failure} are guarded by db. */
  private static final class Write {
    final SqlWork<?> work;
    /** Whether the write must be on disk (fsynced) when its caller returns, not only committed. */
    final boolean durable;
    boolean done;
    Object result;
    Exception failure;

    Write(SqlWork<?> work, boolean durable) {
      this.work = work;
      this.durable = durable;
    }
  }

  /** What became of one delivery; the sender thread alone turns it into back-off. */
  private record Outcome(boolean delivered, RelayException failure) {
    static final Outcome DONE = new Outcome(true, null);
  }

  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  private final Connection db;
  /** Reads of {@link #find} only, beside the writer ({@link #openReader}); guarded by readerLock. */
  private final Connection reader;
  private final PreparedStatement findReading;
  private final ReentrantLock readerLock = new ReentrantLock();
  /**
   * Guards {@code db}. A lock that parks, not a monitor: up to a worker per job waits here while the holder
   * waits for the disk, and a contended monitor's adaptive spinning burned a visible share of the CPU.
   */
  private final ReentrantLock dbLock = new ReentrantLock();
  /** The relay's result endpoint, or the SQS results queue. */
  private final ResultSender destination;
  private final Backoff backoff;
  private final Clock clock;
  private final ObjectMapper json = Protocol.json();
  private final Sleeper sleeper = new Sleeper();
  private final Object emptied = new Object();
  private volatile boolean stopping;
  private Thread sender;
  private ExecutorService deliveries;
  private final Queue<Write> writes = new ConcurrentLinkedQueue<>();
  /** Outcomes workers stored and post themselves ({@link #postQueued}), waiting for the delivery on the wire. */
  private final Queue<JobResult> toPost = new ConcurrentLinkedQueue<>();
  /** Batches on the wire right now, posted by workers; at most {@link #POSTING_AT_ONCE}. */
  private final AtomicInteger posting = new AtomicInteger();
  /**
   * Batches workers post side by side. One at a time made every result wait for the previous batch's round trip
   * and the relay's commit (p50 92 ms at 32 callers); the relay commits concurrent batches together.
   */
  static final int POSTING_AT_ONCE = 4;
  /** Outcomes a worker is posting itself right now: the sender leaves them alone. */
  private final java.util.Set<String> postingNow = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** The connection's synchronous mode; guarded by dbLock. */
  private boolean fullSync = true;
  /** The statements of the hot path, each prepared once on {@code db}; guarded by dbLock. */
  private final Statements statements;
  /**
   * DELIVERED marks not written yet: job id to the attempt delivered. Written with the next transaction
   * ({@link #writeMarks}); a newer attempt's outcome stored meanwhile stays pending, as the mark names the attempt.
   */
  private final ConcurrentHashMap<String, Integer> marks = new ConcurrentHashMap<>();
  /** Set once the sender runs: until then (at start, in tests of the store alone) outcomes only wait. */
  private volatile boolean sending;
  private Instant lastPurge = Instant.EPOCH;

  /**
   * Opens (or creates) the journal in {@code dataDir} and imports a file outbox left by an older agent.
   *
   * @param destination where outcomes are delivered: the relay's result endpoint, or the SQS results queue
   */
  public Journal(Path dataDir, ResultSender destination, Backoff backoff, Clock clock) throws IOException {
    this.destination = destination;
    this.backoff = backoff;
    this.clock = clock;
    Files.createDirectories(dataDir);
    OwnerOnlyDatabase.prepare(dataDir.resolve(FILE_NAME));
    try {
      this.db = open(dataDir.resolve(FILE_NAME));
      this.statements = new Statements(db);
      this.reader = openReader(dataDir.resolve(FILE_NAME));
      this.findReading = reader.prepareStatement(Statements.FIND);
    } catch (SQLException e) {
      throw new IOException("cannot open the agent's journal " + dataDir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
    }
    new OutboxImport(dataDir, this).run();
  }

  /**
   * The connection {@link #find} reads on. A job's first question — was it run here before? — then waits for nobody:
   * on the writing connection it waited for the lock, held while a group of other jobs' writes waits for the disk,
   * before its own write queued for the next one. In WAL mode a reader sees every commit that ended before it began;
   * a DELIVERED mark written while it reads may show as PENDING, which answers a job from here all the same.
   */
  private static Connection openReader(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), settings().toProperties());
  }

  private static Connection open(Path file) throws SQLException {
    SQLiteConfig config = settings();
    // FULL: the WAL is fsynced at every commit, so "stored" means on disk even if the machine loses
    // power right after (NORMAL would only survive a crash of the process).
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
    try (Statement s = c.createStatement()) {
      s.executeUpdate("""
          CREATE TABLE IF NOT EXISTS job (
            job_id     TEXT PRIMARY KEY,
            state      TEXT NOT NULL CHECK (state IN ('RUNNING', 'PENDING', 'DELIVERED')),
            attempt    INTEGER NOT NULL,
            outcome    TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
          )""");
      s.executeUpdate("CREATE INDEX IF NOT EXISTS job_by_state ON job (state, updated_at)");
    }
    return c;
  }

  /** What both connections share. */
  private static SQLiteConfig settings() {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(5_000);
    // Without this the driver prepares and runs "SELECT last_insert_rowid()" after every insert and update, for
    // getGeneratedKeys, which the journal never calls (its keys are the relay's job ids): 3.5 % of a busy agent's
    // CPU, measured.
    config.setGetGeneratedKeys(false);
    return config;
  }

  /** Starts the sender; outcomes left by an earlier run are sent first. */
  public synchronized void start() {
    if (sender != null) {
      return;
    }
    purge();
    int left = pendingCount();
    if (left > 0) {
      log.info("FERRY-AGENT-0201 {} result(s) from an earlier run are waiting to be sent", left);
    }
    AtomicInteger n = new AtomicInteger();
    deliveries = Executors.newFixedThreadPool(PARALLEL, r -> Thread.ofPlatform()
        .name("ferry-journal-send-" + n.incrementAndGet()).daemon(true).unstarted(r));
    sender = Thread.ofPlatform().name("ferry-journal").daemon(true).start(this::sendLoop);
    sending = true;
  }

  /** What the journal holds for a job. */
  public Optional<Entry> find(String jobId) {
    readerLock.lock();
    try {
      PreparedStatement ps = findReading;
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        State state = State.valueOf(rs.getString(1));
        if (state == State.PENDING && Integer.valueOf(rs.getInt(2)).equals(marks.get(jobId))) {
          state = State.DELIVERED; // its mark is still in memory
        }
        String outcome = rs.getString(3);
        return Optional.of(new Entry(jobId, state, outcome == null ? null : readResult(outcome)));
      }
    } catch (SQLException | IOException e) {
      log.warn("FERRY-AGENT-0202 cannot read job {} from the journal: {}", jobId, e.getMessage());
      return Optional.empty();
    } finally {
      readerLock.unlock();
    }
  }

  /** Notes, durably, that the job is about to reach SAP. Keeps an outcome already stored. */
  public void running(JobEnvelope job) throws IOException {
    long now = clock.millis();
    write(true, c -> {
      PreparedStatement ps = statements.running;
      ps.setString(1, job.jobId());
      ps.setInt(2, job.attempt());
      ps.setLong(3, now);
      ps.setLong(4, now);
      return ps.executeUpdate();
    });
  }

  /**
   * Stores the outcome as waiting for delivery (surviving a crash of the agent; see the class comment for a
   * power loss), then posts it on the caller's thread when the relay answered the last delivery, or leaves it
   * to the sender. Also how a known outcome is put back in line, under the attempt number the relay asked for
   * again.
   */
  public void put(JobResult result) throws IOException {
    String key = result.jobId();
    // Claimed before the row exists, so the sender never picks this outcome up while it is posted here.
    boolean direct = backoff.failures() == 0 && !stopping && sending && postingNow.add(key);
    try {
      store(result);
    } catch (IOException | RuntimeException e) {
      if (direct) {
        postingNow.remove(key);
      }
      throw e;
    }
    if (!direct) {
      sleeper.wakeUp(); // the relay failed lately, or the same job is being posted: the sender sends it
      return;
    }
    toPost.add(result);
    postQueued();
  }

  /**
   * Posts what workers stored, in batches: a worker that finds fewer than {@link #POSTING_AT_ONCE} deliveries on
   * the wire takes everything queued, up to a batch, and goes on while more comes; the others return at once. At
   * one job at a time that is one request per result without a hand-over; when busy, what finished during the
   * requests on the wire goes in the next.
   */
  private void postQueued() {
    while (!toPost.isEmpty() && takePostingSlot()) {
      try {
        List<JobResult> batch = new ArrayList<>();
        JobResult next;
        while (batch.size() < ResultBatch.MAX_RESULTS && (next = toPost.poll()) != null) {
          batch.add(next);
        }
        if (!batch.isEmpty() && !postBatch(batch)) {
          // The relay failed: what else waits here is left to the sender and its back-off, not tried at once.
          while ((next = toPost.poll()) != null) {
            postingNow.remove(next.jobId());
          }
        }
      } finally {
        posting.decrementAndGet();
      }
    }
  }

  private boolean takePostingSlot() {
    int now;
    do {
      now = posting.get();
      if (now >= POSTING_AT_ONCE) {
        return false;
      }
    } while (!posting.compareAndSet(now, now + 1));
    return true;
  }

  /** True when the relay answered (each result taken or refused for good). */
  private boolean postBatch(List<JobResult> batch) {
    try {
      List<ResultSender.Fate> fates = destination.sendResults(batch);
      for (int i = 0; i < batch.size(); i++) {
        if (fates.get(i) == ResultSender.Fate.REFUSED) {
          log.warn("FERRY-AGENT-0206 the relay refused the result of job {} attempt {}; not sending it again",
              batch.get(i).jobId(), batch.get(i).attempt());
        }
      }
      delivered(batch);
      return true;
    } catch (RelayException e) {
      sleeper.wakeUp(); // kept as pending: the sender retries with back-off
      return false;
    } catch (IOException e) {
      // Delivered, but the marks did not reach the journal: the sender posts them again, which the relay answers
      // as the same results.
      log.debug("results delivered, but not marked so: {}", e.getMessage());
      sleeper.wakeUp();
      return true;
    } catch (RuntimeException e) {
      log.warn("FERRY-AGENT-0204 posting results failed; they stay in the journal and are sent again", e);
      sleeper.wakeUp();
      return false;
    } finally {
      batch.forEach(r -> postingNow.remove(r.jobId()));
    }
  }

  private void store(JobResult result) throws IOException {
    String outcome = json.writeValueAsString(result);
    long now = clock.millis();
    write(false, c -> {
      PreparedStatement ps = statements.store;
      ps.setString(1, result.jobId());
      ps.setInt(2, result.attempt());
      ps.setString(3, outcome);
      ps.setLong(4, now);
      ps.setLong(5, now);
      return ps.executeUpdate();
    });
  }

  /** Sends pending outcomes now (the relay is back); the sender otherwise waits out its back-off. */
  public void wakeUp() {
    sleeper.wakeUp();
  }

  /** Outcomes stored and not yet delivered; -1 when the journal cannot be read. */
  public int pendingCount() {
    try {
      return sql(c -> {
        writeMarks();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM job WHERE state = 'PENDING'")) {
          rs.next();
          return rs.getInt(1);
        }
      });
    } catch (IOException e) {
      return -1;
    }
  }

  /** Waits until every pending outcome is delivered or the timeout passes; true when none is left. */
  public boolean flush(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    sleeper.wakeUp();
    synchronized (emptied) {
      while (pendingCount() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        emptied.wait(Math.max(1, Math.min(100, left / 1_000_000)));
      }
    }
    return true;
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    sleeper.wakeUp();
    Thread t;
    synchronized (this) {
      t = sender;
    }
    if (t != null) {
      t.join(Duration.ofSeconds(5));
    }
    ExecutorService d;
    synchronized (this) {
      d = deliveries;
    }
    if (d != null) {
      d.shutdown();
      d.awaitTermination(5, TimeUnit.SECONDS);
    }
    int left = pendingCount();
    if (left > 0) {
      log.info("FERRY-AGENT-0203 {} result(s) not yet sent; they stay in the journal and are sent at the next start", left);
    }
    dbLock.lock();
    try {
      try {
        writeMarks();
      } catch (SQLException e) {
        log.debug("delivery marks not written before closing the journal (sent once more at the next start): {}",
            e.getMessage());
      }
      db.close();
      readerLock.lock();
      try {
        reader.close();
      } finally {
        readerLock.unlock();
      }
    } catch (SQLException e) {
      log.debug("closing the journal: {}", e.getMessage());
    } finally {
      dbLock.unlock();
    }
  }

  private void sendLoop() {
    while (!stopping) {
      try {
        if (Duration.between(lastPurge, clock.instant()).compareTo(PURGE_EVERY) >= 0) {
          purge();
        }
        List<JobResult> batch = oldestPending();
        if (batch.isEmpty()) {
          synchronized (emptied) {
            emptied.notifyAll();
          }
          sleeper.sleep(Duration.ofSeconds(30));
          continue;
        }
        deliver(batch);
        Duration delay = backoff.nextDelay();
        if (!delay.isZero()) {
          sleeper.sleep(delay);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        if (stopping) {
          return;
        }
        log.error("FERRY-AGENT-0204 the journal's sender hit an error; it carries on", e);
        backoff.failure(Backoff.Failure.ERROR);
      }
    }
  }

  /**
   * Delivers the batch, {@link #PARALLEL} at a time (one at a time while the relay fails), and turns the
   * outcomes into back-off: a success resets it, a failure counts once per round and ends the batch.
   */
  private void deliver(List<JobResult> batch) throws InterruptedException, IOException {
    int at = 0;
    while (at < batch.size() && !stopping) {
      int width = backoff.failures() > 0 ? 1 : PARALLEL;
      List<JobResult> round = batch.subList(at, Math.min(batch.size(), at + width));
      at += round.size();
      List<Future<Outcome>> sent = new ArrayList<>(round.size());
      if (round.size() == 1) {
        // One outcome (the common case when the agent is not busy): no hand-over to another thread.
        sent.add(CompletableFuture.completedFuture(send(round.get(0))));
      } else {
        for (JobResult r : round) {
          sent.add(deliveries.submit(() -> send(r)));
        }
      }
      RelayException failure = null;
      boolean anyDelivered = false;
      IOException journalFailure = null;
      for (Future<Outcome> f : sent) {
        Outcome o;
        try {
          o = f.get();
        } catch (ExecutionException e) {
          // The journal could not be written after a delivery: the outcome stays pending and is sent again.
          if (e.getCause() instanceof IOException io) {
            journalFailure = journalFailure == null ? io : journalFailure;
            continue;
          }
          throw new IllegalStateException(e.getCause());
        }
        anyDelivered |= o.delivered();
        if (o.failure() != null && failure == null) {
          failure = o.failure();
        }
      }
      if (journalFailure != null) {
        throw journalFailure;
      }
      if (failure == null) {
        backoff.success();
        continue;
      }
      if (anyDelivered) {
        backoff.success();
      }
      switch (failure.kind()) {
        case BUSY, UNAUTHORIZED -> backoff.failure(Backoff.Failure.THROTTLED, failure.retryAfter());
        default -> backoff.failure(Backoff.Failure.ERROR);
      }
      if (backoff.failures() == 1) {
        log.warn("FERRY-AGENT-0207 cannot deliver results yet ({}); they are kept in the journal and retried",
            failure.getMessage());
      }
      return;
    }
  }

  /** Sends one outcome; what failed when the relay is unreachable and the loop should back off. */
  private Outcome send(JobResult result) throws IOException {
    try {
      destination.sendResult(result);
    } catch (RelayException e) {
      if (e.kind() == RelayException.Kind.REJECTED) {
        // The relay will never take it (a newer attempt holds the job, or it is gone): retrying would
        // block the line for ever. It stays in the journal to answer that newer attempt.
        log.warn("FERRY-AGENT-0206 the relay refused the result of job {} attempt {} ({}); not sending it again",
            result.jobId(), result.attempt(), e.getMessage());
        delivered(result);
        return Outcome.DONE;
      }
      return new Outcome(false, e);
    }
    delivered(result);
    log.debug("result of job {} delivered", result.jobId());
    return Outcome.DONE;
  }

  /** Marks this attempt's outcome delivered; a newer {@link #put} of the same job in the meantime stays pending. */
  private void delivered(JobResult result) throws IOException {
    delivered(List.of(result));
  }

  /**
   * {@link #delivered(JobResult)} for several: the marks wait in memory for the next transaction (see the class
   * comment). Throws nothing any more; kept {@code throws IOException} for its callers' handling of a journal that
   * cannot be written.
   */
  private void delivered(List<JobResult> results) throws IOException {
    for (JobResult result : results) {
      // A later attempt of the same job keeps its own mark: the older one could no longer match the row anyway.
      marks.merge(result.jobId(), result.attempt(), Math::max);
    }
  }

  /**
   * Under dbLock, outside a transaction: writes the DELIVERED marks waiting in memory, in one transaction that does
   * not wait for the disk (for the sender and readers that count pending outcomes; jobs take the marks along).
   */
  private void writeMarks() throws SQLException {
    if (marks.isEmpty()) {
      return;
    }
    if (fullSync) {
      statements.syncNormal.executeUpdate();
      fullSync = false;
    }
    statements.begin.executeUpdate();
    List<Map.Entry<String, Integer>> written;
    try {
      written = markMarks();
      statements.commit.executeUpdate();
    } catch (SQLException | RuntimeException e) {
      try {
        statements.rollback.executeUpdate();
      } catch (SQLException ignored) {
        // the failure itself is what the caller hears
      }
      throw e;
    }
    for (var mark : written) {
      marks.remove(mark.getKey(), mark.getValue());
    }
  }

  /**
   * Under dbLock: writes the DELIVERED marks waiting in memory and returns them, to be forgotten once written for
   * good ({@code marks.remove(job, attempt)}: a newer delivery of the job noted meanwhile stays).
   */
  private List<Map.Entry<String, Integer>> markMarks() throws SQLException {
    if (marks.isEmpty()) {
      return List.of();
    }
    long now = clock.millis();
    PreparedStatement ps = statements.delivered;
    List<Map.Entry<String, Integer>> written = new ArrayList<>(marks.size());
    for (var mark : marks.entrySet()) {
      ps.setLong(1, now);
      ps.setString(2, mark.getKey());
      ps.setInt(3, mark.getValue());
      ps.executeUpdate();
      written.add(Map.entry(mark.getKey(), mark.getValue()));
    }
    return written;
  }

  /** An outcome delivered at {@code at} by an older agent (see {@link OutboxImport}); a newer entry wins. */
  void importDelivered(JobResult result, Instant at) throws IOException {
    String outcome = json.writeValueAsString(result);
    write(true, c -> {
      try (PreparedStatement ps = c.prepareStatement("""
          INSERT INTO job (job_id, state, attempt, outcome, created_at, updated_at) VALUES (?, 'DELIVERED', ?, ?, ?, ?)
          ON CONFLICT (job_id) DO NOTHING""")) {
        ps.setString(1, result.jobId());
        ps.setInt(2, result.attempt());
        ps.setString(3, outcome);
        ps.setLong(4, at.toEpochMilli());
        ps.setLong(5, at.toEpochMilli());
        return ps.executeUpdate();
      }
    });
  }

  private List<JobResult> oldestPending() throws IOException {
    List<String> outcomes = sql(c -> {
      writeMarks();
      List<String> list = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(
              "SELECT job_id, attempt, outcome FROM job WHERE state = 'PENDING' ORDER BY updated_at, job_id LIMIT 100")) {
        while (rs.next()) {
          String jobId = rs.getString(1);
          // Skipped: an outcome a worker posts right now, and one delivered since the marks were written above.
          if (!postingNow.contains(jobId) && !Integer.valueOf(rs.getInt(2)).equals(marks.get(jobId))) {
            list.add(rs.getString(3));
          }
        }
      }
      return list;
    });
    List<JobResult> results = new ArrayList<>(outcomes.size());
    for (String o : outcomes) {
      results.add(readResult(o));
    }
    return results;
  }

  /**
   * Forgets delivered outcomes after {@link #RETENTION}, and jobs that started that long ago and never
   * finished (their deadline passed long since; the relay has given up on them).
   */
  private void purge() {
    long cutoff = clock.instant().minus(RETENTION).toEpochMilli();
    try {
      int n = sql(c -> {
        try (PreparedStatement ps = c.prepareStatement(
            "DELETE FROM job WHERE state IN ('DELIVERED', 'RUNNING') AND updated_at < ?")) {
          ps.setLong(1, cutoff);
          return ps.executeUpdate();
        }
      });
      lastPurge = clock.instant();
      if (n > 0) {
        log.debug("purged {} journal entr(y/ies) older than {}", n, RETENTION);
      }
    } catch (IOException e) {
      log.warn("FERRY-AGENT-0208 cannot purge the journal: {}", e.getMessage());
    }
  }

  private JobResult readResult(String outcome) throws IOException {
    return json.readValue(outcome, JobResult.class);
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T run(Connection c) throws SQLException, IOException;
  }

  /**
   * A write, on disk when this returns. Group commit without a writer thread: the write is queued, and
   * whichever caller holds the connection next commits everything queued in one transaction, each write in
   * its own savepoint (a failing write is rolled back alone and its caller hears it). While one group waits
   * for the disk, the next one gathers.
   */
  @SuppressWarnings("unchecked")
  private <T> T write(boolean durable, SqlWork<T> work) throws IOException {
    Write w = new Write(work, durable);
    writes.add(w);
    dbLock.lock();
    try {
      if (!w.done) {
        commitQueued();
      }
      if (w.failure instanceof IOException io) {
        throw io;
      }
      if (w.failure instanceof SQLException e) {
        throw new IOException("the agent's journal failed: " + e.getMessage(), e);
      }
      if (w.failure instanceof RuntimeException e) {
        throw e;
      }
      return (T) w.result;
    } finally {
      dbLock.unlock();
    }
  }

  /**
   * Under dbLock: commits what is queued (our own write among it) and the DELIVERED marks waiting, completes each
   * write. The transaction is begun and ended with statements prepared once (not the driver's auto-commit
   * switch, which runs three statements, each parsed anew, around every transaction); a write of its own needs
   * no savepoint, as rolling the transaction back rolls back that write alone.
   */
  private void commitQueued() {
    List<Write> group = new ArrayList<>();
    Write next;
    boolean durable = false;
    while (group.size() < MAX_GROUP && (next = writes.poll()) != null) {
      group.add(next);
      durable |= next.durable;
    }
    List<Map.Entry<String, Integer>> marked = List.of();
    try {
      if (durable != fullSync) {
        // FULL fsyncs the WAL at this commit (and so everything committed before it); NORMAL leaves that to
        // the next FULL commit or checkpoint. Set between transactions, as SQLite requires.
        (durable ? statements.syncFull : statements.syncNormal).executeUpdate();
        fullSync = durable;
      }
      statements.begin.executeUpdate();
      try {
        boolean anyWritten = false;
        if (group.size() == 1) {
          Write w = group.get(0);
          try {
            w.result = w.work.run(db);
            anyWritten = true;
          } catch (SQLException | IOException | RuntimeException e) {
            w.failure = e;
          }
        } else {
          for (Write w : group) {
            statements.savepoint.executeUpdate();
            try {
              w.result = w.work.run(db);
              statements.release.executeUpdate();
              anyWritten = true;
            } catch (SQLException | IOException | RuntimeException e) {
              w.failure = e;
              statements.rollbackToSavepoint.executeUpdate();
              statements.release.executeUpdate();
            }
          }
        }
        if (anyWritten) {
          try {
            marked = markMarks();
          } catch (SQLException e) {
            // A mark SQLite refused is undone alone (statement rollback) and waits for the next transaction; a
            // failure of the transaction itself shows at the commit.
            log.debug("delivery marks not written yet: {}", e.getMessage());
          }
          statements.commit.executeUpdate();
        } else {
          statements.rollback.executeUpdate(); // every write failed: nothing to commit
        }
      } catch (SQLException | RuntimeException e) {
        try {
          statements.rollback.executeUpdate();
        } catch (SQLException ignored) {
          // no transaction left to roll back; the failure itself is what the callers hear
        }
        marked = List.of();
        throw e;
      }
    } catch (SQLException | RuntimeException e) {
      // Nothing of the group is committed: every caller hears it.
      for (Write w : group) {
        w.result = null;
        w.failure = e;
      }
    }
    for (var mark : marked) {
      marks.remove(mark.getKey(), mark.getValue());
    }
    for (Write w : group) {
      w.done = true;
    }
  }

  /** The statements the journal runs per job, and those that begin and end its transactions, each prepared once. */
  private static final class Statements {
    static final String FIND = "SELECT state, attempt, outcome FROM job WHERE job_id = ?";
    final PreparedStatement running;
    final PreparedStatement store;
    final PreparedStatement delivered;
    final PreparedStatement begin;
    final PreparedStatement commit;
    final PreparedStatement rollback;
    final PreparedStatement savepoint;
    final PreparedStatement release;
    final PreparedStatement rollbackToSavepoint;
    final PreparedStatement syncFull;
    final PreparedStatement syncNormal;

    Statements(Connection c) throws SQLException {
      running = c.prepareStatement("""
          INSERT INTO job (job_id, state, attempt, created_at, updated_at) VALUES (?, 'RUNNING', ?, ?, ?)
          ON CONFLICT (job_id) DO UPDATE SET attempt = excluded.attempt, updated_at = excluded.updated_at
          WHERE state = 'RUNNING'""");
      store = c.prepareStatement("""
          INSERT INTO job (job_id, state, attempt, outcome, created_at, updated_at) VALUES (?, 'PENDING', ?, ?, ?, ?)
          ON CONFLICT (job_id) DO UPDATE SET state = 'PENDING', attempt = excluded.attempt,
            outcome = excluded.outcome, updated_at = excluded.updated_at""");
      delivered = c.prepareStatement(
          "UPDATE job SET state = 'DELIVERED', updated_at = ? WHERE job_id = ? AND state = 'PENDING' AND attempt = ?");
      begin = c.prepareStatement("BEGIN");
      commit = c.prepareStatement("COMMIT");
      rollback = c.prepareStatement("ROLLBACK");
      savepoint = c.prepareStatement("SAVEPOINT write");
      release = c.prepareStatement("RELEASE write");
      rollbackToSavepoint = c.prepareStatement("ROLLBACK TO write");
      syncFull = c.prepareStatement("PRAGMA synchronous = FULL");
      syncNormal = c.prepareStatement("PRAGMA synchronous = NORMAL");
    }
  }

  /** One connection, one statement at a time: reads, and writes that need no durability of their own. */
  private <T> T sql(SqlWork<T> work) throws IOException {
    dbLock.lock();
    try {
      return work.run(db);
    } catch (SQLException e) {
      throw new IOException("the agent's journal failed: " + e.getMessage(), e);
    } finally {
      dbLock.unlock();
    }
  }
}
