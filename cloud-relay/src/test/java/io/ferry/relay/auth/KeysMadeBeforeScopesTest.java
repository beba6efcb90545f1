package io.ferry.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.relay.store.SqlStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A key stored before scopes existed (schema version 2) keeps reading and writing customers, and nothing more. */
class KeysMadeBeforeScopesTest {

  @TempDir
  Path dataDir;

  @Test
  void anOldKeyGetsReadAndWriteScopes() throws Exception {
    String url = "jdbc:sqlite:" + dataDir.resolve(SqlStore.FILE_NAME).toAbsolutePath();
    Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/relay").target("2").load()
        .migrate();
    Credential key = Credential.generate(Credential.API_KEY, "01JC0000000000000000000000");
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO tenants (id, name, created_at) VALUES ('01JC0000000000000000000001', 'old', 0)");
      s.executeUpdate("INSERT INTO api_keys (id, tenant_id, key_hash, created_at) VALUES ('" + key.id()
          + "', '01JC0000000000000000000001', '" + key.hash() + "', 0)");
    }
    try (SqlStore store = SqlStore.open(dataDir)) {
      ApiCaller caller = new Authenticator(store.access(), Clock.systemUTC()).callerOfApiKey(key.value()).orElseThrow();
      assertThat(caller.scopes()).containsExactlyInAnyOrder(Scope.CUSTOMERS_READ, Scope.CUSTOMERS_WRITE);
    }
  }
}
