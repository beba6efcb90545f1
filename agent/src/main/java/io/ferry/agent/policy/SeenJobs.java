package io.ferry.agent.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The deliveries (job id and attempt) this agent has admitted, so a delivery seen before — a replayed
 * job — is refused even after a restart. Kept in an append-only journal, {@code <dataDir>/seen-jobs},
 * one {@code jobId:attempt} (or {@code jobId:attempt.receiveCount} for SQS's later receives) per line; the
 * newest {@link #CAPACITY} are remembered (far more than the jobs whose deadline has not passed, and an older
 * replay fails the deadline check anyway).
 */
public final class SeenJobs implements AutoCloseable {

  public static final String FILE_NAME = "seen-jobs";
  static final int CAPACITY = 20_000;

  private final Path file;
  private final LinkedHashSet<String> seen = new LinkedHashSet<>();
  /**
   * The journal, open for appending while the agent runs: one write per admitted delivery, where opening and
   * closing the file for each took two more system calls per job. Opened at the first delivery; guarded by this.
   */
  private FileChannel out;

  private SeenJobs(Path file) {
    this.file = file;
  }

  /** Loads the journal (compacting it when it grew past twice the capacity). */
  public static SeenJobs open(Path dataDir) throws IOException {
    SeenJobs jobs = new SeenJobs(dataDir.resolve(FILE_NAME));
    if (Files.exists(jobs.file)) {
      List<String> lines = Files.readAllLines(jobs.file, StandardCharsets.US_ASCII);
      for (String line : lines) {
        jobs.remember(line.strip());
      }
      if (lines.size() > 2 * CAPACITY) {
        Files.write(jobs.file, new ArrayList<>(jobs.seen), StandardCharsets.US_ASCII);
      }
    }
    return jobs;
  }

  /** True the first time this delivery is presented (and it is journaled); false for a replay. */
  public boolean firstTime(String jobId, int attempt) {
    return firstTime(jobId, Integer.toString(attempt));
  }

  /**
   * As {@link #firstTime(String, int)} for a delivery named by more than its attempt ({@code 1.2}: attempt 1,
   * received a second time from SQS).
   */
  public synchronized boolean firstTime(String jobId, String delivery) {
    String entry = jobId + ":" + delivery;
    if (seen.contains(entry)) {
      return false;
    }
    try {
      if (out == null) {
        out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
      }
      ByteBuffer line = ByteBuffer.wrap((entry + "\n").getBytes(StandardCharsets.US_ASCII));
      while (line.hasRemaining()) {
        out.write(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot journal job " + entry + " in " + file + ": " + e.getMessage(), e);
    }
    remember(entry);
    return true;
  }

  /** Closes the file; a later delivery opens it again. */
  @Override
  public synchronized void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }

  private void remember(String entry) {
    if (entry.isEmpty()) {
      return;
    }
    seen.add(entry);
    if (seen.size() > CAPACITY) {
      seen.remove(seen.iterator().next());
    }
  }
}
