package io.ferry.agent.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.agent.poll.Backoff;
import io.ferry.agent.poll.Sleeper;
import io.ferry.agent.relay.RelayClient;
import io.ferry.agent.relay.RelayException;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results on their way to the relay. A result is written to disk (and fsynced) before it is sent, so a
 * crash between SAP's commit and the relay's acknowledgement loses nothing: the next start sends it
 * again. A sent result moves to {@code sent/} and stays there for a day, so a job the relay delivers a
 * second time (its lease lapsed while the answer was on the wire) is answered from here instead of
 * running in SAP twice.
 *
 * <p>One sender thread delivers in order of writing, with back-off while the relay is away.
 */
public final class ResultOutbox implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ResultOutbox.class);
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  /** As long as the relay keeps idempotency records: a redelivery after that is a new request anyway. */
  static final Duration SENT_RETENTION = Duration.ofHours(24);

  private final Path pending;
  private final Path sent;
  private final RelayClient relay;
  private final Backoff backoff;
  private final Clock clock;
  private final ObjectMapper json = Protocol.json();
  private final Sleeper sleeper = new Sleeper();
  private final Object emptied = new Object();
  private volatile boolean stopping;
  private Thread sender;

  public ResultOutbox(Path dir, RelayClient relay, Backoff backoff, Clock clock) throws IOException {
    this.pending = Files.createDirectories(dir.resolve("pending"));
    this.sent = Files.createDirectories(dir.resolve("sent"));
    this.relay = relay;
    this.backoff = backoff;
    this.clock = clock;
  }

  /** Starts the sender; results left by an earlier run are sent first. */
  public synchronized void start() {
    if (sender != null) {
      return;
    }
    pruneSent();
    int left = pendingCount();
    if (left > 0) {
      log.info("FERRY-AGENT-0201 {} result(s) from an earlier run are waiting to be sent", left);
    }
    sender = Thread.ofPlatform().name("ferry-outbox").daemon(true).start(this::sendLoop);
  }

  /** Makes the result durable, then wakes the sender. Returns once the result is on disk. */
  public void put(JobResult result) throws IOException {
    String id = checkId(result.jobId());
    Path tmp = pending.resolve(id + ".json.tmp");
    byte[] bytes = json.writeValueAsBytes(result);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
    }
    move(tmp, pending.resolve(id + ".json"));
    syncDirectory(pending);
    sleeper.wakeUp();
  }

  /** Makes the rename itself durable; a no-op where the platform cannot open a directory (Windows). */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // NTFS journals the rename itself; nothing more to do there.
    }
  }

  /**
   * The result this agent already produced for a job, pending or recently sent: a redelivered job is
   * answered with it instead of running again.
   */
  public Optional<JobResult> find(String jobId) {
    if (!SAFE_ID.matcher(jobId).matches()) {
      return Optional.empty();
    }
    for (Path dir : List.of(pending, sent)) {
      Path f = dir.resolve(jobId + ".json");
      if (Files.exists(f)) {
        try {
          return Optional.of(json.readValue(f.toFile(), JobResult.class));
        } catch (IOException e) {
          log.warn("FERRY-AGENT-0202 cannot read stored result {}: {}", f, e.getMessage());
        }
      }
    }
    return Optional.empty();
  }

  /** Puts a known result back in line for sending (the relay asked for the job again). */
  public void resend(JobResult result) throws IOException {
    Path s = sent.resolve(checkId(result.jobId()) + ".json");
    if (Files.exists(s)) {
      move(s, pending.resolve(result.jobId() + ".json"));
    }
    sleeper.wakeUp();
  }

  public int pendingCount() {
    try (Stream<Path> files = Files.list(pending)) {
      return (int) files.filter(p -> p.toString().endsWith(".json")).count();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Waits until every pending result is sent or the timeout passes; true when none is left. */
  public boolean flush(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    sleeper.wakeUp();
    synchronized (emptied) {
      while (pendingCount() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        emptied.wait(Math.max(1, left / 1_000_000));
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
    int left = pendingCount();
    if (left > 0) {
      log.info("FERRY-AGENT-0203 {} result(s) not yet sent; they stay on disk and are sent at the next start", left);
    }
  }

  private void sendLoop() {
    while (!stopping) {
      try {
        List<Path> batch = oldestFirst();
        if (batch.isEmpty()) {
          synchronized (emptied) {
            emptied.notifyAll();
          }
          sleeper.sleep(Duration.ofSeconds(30));
          continue;
        }
        for (Path f : batch) {
          if (stopping || !send(f)) {
            break;
          }
        }
        Duration delay = backoff.nextDelay();
        if (!delay.isZero()) {
          sleeper.sleep(delay);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        log.error("FERRY-AGENT-0204 the outbox sender hit an error; it carries on", e);
        backoff.failure(Backoff.Failure.ERROR);
      }
    }
  }

  /** Sends one stored result; false when the relay is unreachable and the loop should back off. */
  private boolean send(Path f) throws IOException {
    JobResult result;
    try {
      result = json.readValue(f.toFile(), JobResult.class);
    } catch (IOException e) {
      log.error("FERRY-AGENT-0205 stored result {} is unreadable; moving it aside", f.getFileName());
      move(f, f.resolveSibling(f.getFileName() + ".corrupt"));
      return true;
    }
    try {
      relay.sendResult(result);
      backoff.success();
      archive(f);
      log.debug("result of job {} delivered", result.jobId());
      return true;
    } catch (RelayException e) {
      switch (e.kind()) {
        case REJECTED -> {
          // The relay will never take it (the lease went to another attempt, or the job is gone):
          // keeping it would block the line for ever.
          log.warn("FERRY-AGENT-0206 the relay refused the result of job {} ({}); dropping it", result.jobId(), e.getMessage());
          archive(f);
          return true;
        }
        case BUSY, UNAUTHORIZED -> backoff.failure(Backoff.Failure.THROTTLED, e.retryAfter());
        default -> backoff.failure(Backoff.Failure.ERROR);
      }
      if (backoff.failures() == 1) {
        log.warn("FERRY-AGENT-0207 cannot deliver results yet ({}); they are kept on disk and retried", e.getMessage());
      }
      return false;
    }
  }

  private void archive(Path f) throws IOException {
    Path target = sent.resolve(f.getFileName());
    move(f, target);
    Files.setLastModifiedTime(target, FileTime.from(clock.instant()));
  }

  private List<Path> oldestFirst() throws IOException {
    try (Stream<Path> files = Files.list(pending)) {
      List<Path> list = new ArrayList<>(files.filter(p -> p.toString().endsWith(".json")).toList());
      list.sort(Comparator.comparing(ResultOutbox::modified));
      return list;
    }
  }

  private void pruneSent() {
    Instant cutoff = clock.instant().minus(SENT_RETENTION);
    try (Stream<Path> files = Files.list(sent)) {
      files.filter(p -> modified(p).toInstant().isBefore(cutoff)).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          log.debug("cannot prune {}: {}", p, e.getMessage());
        }
      });
    } catch (IOException e) {
      log.warn("FERRY-AGENT-0208 cannot prune sent results: {}", e.getMessage());
    }
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String checkId(String jobId) {
    if (jobId == null || !SAFE_ID.matcher(jobId).matches()) {
      throw new IllegalArgumentException("job id is not a safe file name: " + jobId);
    }
    return jobId;
  }
}
