package io.ferry.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Protocol;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The identity an agent received at enrollment. The key is a secret: the file that holds it is readable
 * by the agent's own user only, and {@link #toString()} never shows it.
 */
public record AgentCredentials(String relayUrl, String agentId, String tenantId, String agentGroup, String agentKey,
    String relayPublicKey) {

  /** Without a pinned relay key (relays that did not sign jobs). */
  public AgentCredentials(String relayUrl, String agentId, String tenantId, String agentGroup, String agentKey) {
    this(relayUrl, agentId, tenantId, agentGroup, agentKey, null);
  }

  public static final String FILE_NAME = "credentials.json";
  private static final ObjectMapper JSON = Protocol.json();

  public static Path file(Path dataDir) {
    return dataDir.resolve(FILE_NAME);
  }

  public static boolean exist(Path dataDir) {
    return Files.isRegularFile(file(dataDir));
  }

  public static AgentCredentials load(Path dataDir) throws IOException {
    Path f = file(dataDir);
    if (!Files.isRegularFile(f)) {
      throw new IOException("this agent is not enrolled: " + f + " does not exist. Run `ferry agent enroll --relay URL --token TOKEN` first");
    }
    return JSON.readValue(f.toFile(), AgentCredentials.class);
  }

  /** Writes the file owner-only from the first byte (no window in which others could read it). */
  public void save(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
    Files.deleteIfExists(tmp);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(tmp);
    }
    Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
    Files.move(tmp, file(dataDir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public String toString() {
    return "AgentCredentials[relayUrl=" + relayUrl + ", agentId=" + agentId + ", tenantId=" + tenantId
        + ", agentGroup=" + agentGroup + ", agentKey=****]";
  }
}
