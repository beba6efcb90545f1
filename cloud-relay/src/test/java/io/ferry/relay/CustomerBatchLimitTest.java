package io.ferry.relay;

import static io.ferry.relay.CustomerBatchTest.BATCHES;
import static io.ferry.relay.CustomerBatchTest.CSV;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch body has its own limit, relay.batch-max-body-bytes, well above the 2 MB of single writes. */
class CustomerBatchLimitTest {

  @TempDir
  Path dataDir;

  @Test
  void aBatchOverItsLimitIs413WhetherDeclaredOrChunkedAndTheSingleWriteLimitDoesNotApply() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withMaxBodyBytes(1024).withBatchMaxBodyBytes(8 * 1024))) {
      TestRelay.Tenant tenant = relay.tenant();
      tenant.enrollAgent();
      Engine engine = tenant.engine();
      String small = CustomerBatchTest.csv(60); // about 5 KB: over relay.max-body-bytes, under the batch limit
      String large = CustomerBatchTest.csv(200); // about 17 KB

      assertThat(small.length()).isBetween(1025, 8 * 1024);
      assertThat(engine.postBody(BATCHES + "?mode=insert", small, CSV).status()).isEqualTo(202);

      Reply declared = engine.postBody(BATCHES + "?mode=insert", large, CSV);
      assertThat(declared.status()).isEqualTo(413);
      assertThat(declared.problem().code()).isEqualTo("FERRY-RELAY-0104");
      assertThat(declared.problem().detail()).contains("relay.batch-max-body-bytes");

      Reply chunked = tenant.engine().postChunked(BATCHES + "?mode=insert", large.getBytes(StandardCharsets.UTF_8), CSV);
      assertThat(chunked.status()).isEqualTo(413);
      assertThat(chunked.problem().code()).isEqualTo("FERRY-RELAY-0104");
    }
  }
}
