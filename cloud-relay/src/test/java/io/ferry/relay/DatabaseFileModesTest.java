package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.relay.store.SqlStore;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * relay.db and its WAL and shared-memory files hold customer data: readable by the relay's user only (0600),
 * whatever the umask, and also when an older relay left them readable by others.
 */
class DatabaseFileModesTest {

  @TempDir
  Path dataDir;

  @BeforeEach
  void posixOnly() {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file modes");
  }

  @Test
  void theDatabaseAndItsWalAndShmFilesAreOwnerOnly() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      assertThat(tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async").status())
          .isNotEqualTo(500);
      for (String name : new String[] {SqlStore.FILE_NAME, SqlStore.FILE_NAME + "-wal", SqlStore.FILE_NAME + "-shm"}) {
        assertThat(dataDir.resolve(name)).exists();
        assertThat(mode(dataDir.resolve(name))).as(name).isEqualTo("rw-------");
      }
    }
  }

  @Test
  void filesAnOlderRelayLeftReadableByOthersAreRestrictedAtStart() throws Exception {
    TestRelay.start(dataDir, c -> c).close();
    for (String name : new String[] {SqlStore.FILE_NAME, SqlStore.FILE_NAME + "-wal", SqlStore.FILE_NAME + "-shm"}) {
      Path f = dataDir.resolve(name);
      if (!Files.exists(f)) {
        Files.createFile(f);
      }
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    }
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      relay.tenant();
      assertThat(mode(dataDir.resolve(SqlStore.FILE_NAME))).isEqualTo("rw-------");
      assertThat(mode(dataDir.resolve(SqlStore.FILE_NAME + "-wal"))).isEqualTo("rw-------");
      assertThat(mode(dataDir.resolve(SqlStore.FILE_NAME + "-shm"))).isEqualTo("rw-------");
    }
  }

  private static String mode(Path file) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
