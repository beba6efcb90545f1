package io.ferry.agent.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the file outbox of agents before the journal ({@code <data-dir>/outbox/pending/*.json}, results
 * not yet delivered, and {@code sent/*.json}, delivered within the last day) into the journal, once: the
 * folder is then renamed {@code outbox.imported}, kept for the operator to inspect or delete.
 */
final class OutboxImport {

  private static final Logger log = LoggerFactory.getLogger(OutboxImport.class);
  static final String OLD_DIR = "outbox";
  static final String DONE_DIR = "outbox.imported";

  private final Path dir;
  private final Journal journal;
  private final ObjectMapper json = Protocol.json();

  OutboxImport(Path dataDir, Journal journal) {
    this.dir = dataDir.resolve(OLD_DIR);
    this.journal = journal;
  }

  void run() throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    // Delivered first: a job in both folders (sent, then asked for again) ends up pending.
    int delivered = 0;
    for (Path f : files("sent")) {
      JobResult r = read(f);
      if (r != null) {
        journal.importDelivered(r, Files.getLastModifiedTime(f).toInstant());
        delivered++;
      }
    }
    int pending = 0;
    for (Path f : files("pending")) {
      JobResult r = read(f);
      if (r != null) {
        journal.put(r);
        pending++;
      }
    }
    Path done = dir.resolveSibling(DONE_DIR);
    if (Files.exists(done)) {
      done = dir.resolveSibling(DONE_DIR + "." + System.currentTimeMillis());
    }
    Files.move(dir, done);
    log.info("FERRY-AGENT-0209 imported the result outbox into the journal ({} to send, {} delivered); the old folder is now {}",
        pending, delivered, done);
  }

  private List<Path> files(String sub) throws IOException {
    Path d = dir.resolve(sub);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    }
  }

  private JobResult read(Path f) {
    try {
      return json.readValue(f.toFile(), JobResult.class);
    } catch (IOException e) {
      log.warn("FERRY-AGENT-0205 cannot import {} from the old outbox: {}; it stays in {}", f.getFileName(), e.getMessage(), DONE_DIR);
      return null;
    }
  }
}
