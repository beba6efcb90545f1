package io.ferry.relay.store;

import io.ferry.testing.TestPostgres;
import java.nio.file.Path;

/**
 * A store for a contract test: a SQLite file in {@code dir}, or a fresh PostgreSQL database (dropped on
 * close). Store tests run against both with {@code @ParameterizedClass @EnumSource(StoreSettings.Kind.class)}.
 */
public record TestStore(SqlStore store, TestPostgres database) implements AutoCloseable {

  public static TestStore open(StoreSettings.Kind kind, Path dir) {
    if (kind == StoreSettings.Kind.SQLITE) {
      return new TestStore(SqlStore.open(dir), null);
    }
    TestPostgres db = TestPostgres.create("store");
    try {
      return new TestStore(SqlStore.openPostgres(settings(db)), db);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** The store settings of a test database. */
  public static StoreSettings settings(TestPostgres db) {
    return StoreSettings.postgres(db.jdbcUrl(), db.user(), db.password());
  }

  @Override
  public void close() {
    try {
      store.close();
    } finally {
      if (database != null) {
        database.close();
      }
    }
  }
}
