package io.ferry.relay.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * relay.db and its {@code -wal} and {@code -shm} files hold customer data, so only the relay's user may read
 * them (mode 0600), whatever the umask. The database file is created owner-only before SQLite opens it, and
 * SQLite gives the WAL and shared-memory files the database file's mode; a file an older relay left readable
 * by others is restricted at start. On a file system without POSIX permissions nothing is done.
 */
final class OwnerOnlyDatabase {

  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final String[] SUFFIXES = {"", "-wal", "-shm", "-journal"};

  private OwnerOnlyDatabase() {}

  /** Creates {@code file} owner-only if it does not exist, and restricts it and its companions if they do. */
  static void prepare(Path file) {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    try {
      FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
      try {
        Files.createFile(file, ownerOnly);
      } catch (FileAlreadyExistsException e) {
        // an existing database: restricted below
      }
      for (String suffix : SUFFIXES) {
        Path f = file.resolveSibling(file.getFileName() + suffix);
        if (Files.exists(f) && !Files.getPosixFilePermissions(f).equals(OWNER_ONLY)) {
          Files.setPosixFilePermissions(f, OWNER_ONLY);
        }
      }
    } catch (IOException | UnsupportedOperationException e) {
      throw new StoreException("could not make " + file.toAbsolutePath() + " readable by its owner only ("
          + e + "); check that the relay's user owns relay.data-dir", e);
    }
  }
}
