package io.ferry.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.relay.auth.KeyRestriction;
import io.ferry.relay.auth.Scope;
import io.ferry.relay.store.AccessStore.ApiKeyRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * V13 on both databases: a key's restriction to functions and OData services is kept (null: none), and every scope at
 * once fits the scopes column (PostgreSQL refused more than 100 characters before it).
 */
@ParameterizedClass
@EnumSource(StoreSettings.Kind.class)
class KeyRestrictionStoreTest {

  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

  @Parameter
  StoreSettings.Kind kind;
  @TempDir
  Path dir;
  private TestStore opened;
  private SqlStore store;
  private String tenant;

  @BeforeEach
  void open() {
    opened = TestStore.open(kind, dir);
    store = opened.store();
    tenant = store.access().ensureTenant("acme", Ulid.next(), NOW);
  }

  @AfterEach
  void close() {
    opened.close();
  }

  @Test
  void aRestrictionAndEveryScopeAreKept() {
    String all = Scope.join(Set.of(Scope.values()));
    assertThat(all.length()).isGreaterThan(100);
    String id = Ulid.next();
    store.access().insertApiKey(new ApiKeyRecord(id, tenant, "h".repeat(64), NOW, null, null, all, null,
        "BAPI_COMPANYCODE_GETLIST RFC_READ_TABLE", "API_BUSINESS_PARTNER"));
    ApiKeyRecord read = store.access().apiKeys(tenant).get(0);
    assertThat(read.scopes()).isEqualTo(all);
    KeyRestriction r = KeyRestriction.fromColumns(read.functions(), read.odataServices());
    assertThat(r.functions()).containsExactlyInAnyOrder("RFC_READ_TABLE", "BAPI_COMPANYCODE_GETLIST");
    assertThat(r.allowsService("API_BUSINESS_PARTNER")).isTrue();
    assertThat(r.allowsService("API_SALES_ORDER_SRV")).isFalse();
  }

  @Test
  void aKeyWithoutOneIsUnrestricted() {
    String id = Ulid.next();
    store.access().insertApiKey(new ApiKeyRecord(id, tenant, "h".repeat(64), NOW, null, null, "functions:call", null));
    ApiKeyRecord read = store.access().findApiKey(id).orElseThrow();
    assertThat(read.functions()).isNull();
    assertThat(KeyRestriction.fromColumns(read.functions(), read.odataServices())).isEqualTo(KeyRestriction.NONE);
  }
}
