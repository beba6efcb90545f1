package io.ferry.agent.journal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * journal.db and its {@code -wal} and {@code -shm} files hold customer data (the results waiting to be
 * delivered), so only the agent's user may read them (mode 0600), whatever the umask. The database file is
 * created owner-only before SQLite opens it, and SQLite gives the WAL and shared-memory files the database
 * file's mode; a file an older agent left readable by others is restricted at start. On a file system without
 * POSIX permissions (Windows) nothing is done: there the data directory's ACL protects it.
 */
public final class OwnerOnlyDatabase {

  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final String[] SUFFIXES = {"", "-wal", "-shm", "-journal"};

  private OwnerOnlyDatabase() {}

  /** Creates {@code file} owner-only if it does not exist, and restricts it and its companions if they do. */
  public static void prepare(Path file) throws IOException {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (FileAlreadyExistsException e) {
      // an existing journal: restricted below
    }
    for (String suffix : SUFFIXES) {
      Path f = file.resolveSibling(file.getFileName() + suffix);
      if (Files.exists(f) && !Files.getPosixFilePermissions(f).equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(f, OWNER_ONLY);
      }
    }
  }
}
