package io.ferry.agent.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Protocol;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The agent's {@code status.json} in its data directory: written whole (a temporary file moved over the
 * old one), so a reader never sees half of it.
 */
public final class StatusFile {

  public static final String NAME = "status.json";
  /** How often a running agent rewrites the file. */
  public static final Duration INTERVAL = Duration.ofSeconds(5);
  /** A file older than this belongs to an agent that is not running (it stopped, crashed or hangs). */
  public static final Duration STALE_AFTER = Duration.ofSeconds(30);

  private static final ObjectMapper JSON = Protocol.json();

  private StatusFile() {}

  public static Path in(Path dataDir) {
    return dataDir.resolve(NAME);
  }

  public static void write(Path dataDir, AgentStatus status) throws IOException {
    Path file = in(dataDir);
    Path tmp = dataDir.resolve(NAME + ".tmp");
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), status);
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The status last written, if there is a file. */
  public static Optional<AgentStatus> read(Path dataDir) throws IOException {
    try {
      return Optional.of(JSON.readValue(Files.readAllBytes(in(dataDir)), AgentStatus.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** True when the agent that wrote this status cannot be running any more at {@code now}. */
  public static boolean isStale(AgentStatus status, Instant now) {
    return status.writtenAt() == null || status.writtenAt().plus(STALE_AFTER).isBefore(now);
  }

  public static void delete(Path dataDir) throws IOException {
    Files.deleteIfExists(in(dataDir));
  }
}
