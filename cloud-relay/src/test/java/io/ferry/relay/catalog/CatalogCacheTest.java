package io.ferry.relay.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Protocol;
import io.ferry.relay.catalog.CatalogCache.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CatalogCacheTest {

  private final CatalogCache cache = new CatalogCache(100, Duration.ofMinutes(5), Duration.ofMinutes(5));
  private final JsonNode answer = Protocol.json().createObjectNode().put("function", "RFC_READ_TABLE");

  @Test
  void aGroupKeepsAnswersWhileItReportsTheSameFingerprint() {
    cache.reported("t", "g", "fp1");
    cache.put("t", "g", Kind.FUNCTION, "RFC_READ_TABLE", "fp1", "fp1", answer);
    cache.reported("t", "g", "fp1");
    assertThat(cache.get("t", "g", Kind.FUNCTION, "RFC_READ_TABLE")).contains(answer);
    assertThat(cache.get("t", "other", Kind.FUNCTION, "RFC_READ_TABLE")).isEmpty();
    assertThat(cache.get("u", "g", Kind.FUNCTION, "RFC_READ_TABLE")).isEmpty();

    cache.reported("t", "g", "fp2");
    assertThat(cache.get("t", "g", Kind.FUNCTION, "RFC_READ_TABLE")).as("an answer of another fingerprint").isEmpty();
    // Back on the first fingerprint (an agent of the group not yet upgraded polls again): its answers hold again.
    cache.reported("t", "g", "fp1");
    assertThat(cache.get("t", "g", Kind.FUNCTION, "RFC_READ_TABLE")).contains(answer);
  }

  @Test
  void nothingIsKeptWithoutAFingerprintOrUnderAStaleOne() {
    cache.put("t", "g", Kind.CATALOG, "", null, null, answer);
    assertThat(cache.size()).isZero();
    cache.reported("t", "g", "fp1");
    cache.put("t", "g", Kind.CATALOG, "", "fp0", null, answer); // asked before the change
    cache.put("t", "g", Kind.CATALOG, "", "fp1", "fp0", answer); // answered from before the change
    assertThat(cache.size()).isZero();
    cache.reported("t", "g", null);
    assertThat(cache.fingerprint("t", "g")).isNull();
  }

  @Test
  void requestsNamingNoGroupAreKeptOnlyWhileEveryGroupAgrees() {
    cache.reported("t", "a", "fp1");
    cache.reported("t", "b", "fp1");
    assertThat(cache.fingerprint("t", null)).isEqualTo("fp1");
    cache.put("t", null, Kind.CATALOG, "", "fp1", null, answer);
    assertThat(cache.get("t", null, Kind.CATALOG, "")).contains(answer);

    cache.reported("t", "b", "fp2"); // one group changed: what any agent answered may be stale
    assertThat(cache.get("t", null, Kind.CATALOG, "")).isEmpty();
    assertThat(cache.fingerprint("t", null)).isNull();
  }
}
