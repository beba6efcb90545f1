package io.ferry.agent.sap.odata;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.odatapeer.ODataPeer;
import io.ferry.protocol.Customer;
import io.ferry.protocol.SearchQuery;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Regression: when SAP's session expired and several creates ran at once, each thread fetched its own
 * token, each fetch opened a new session, and a thread could send its token with another fetch's cookie
 * — refused again, "SAP refused the CSRF token again right after handing it out". Now one fetch serves
 * every waiting thread and a token always travels with its own session cookie.
 */
class ODataCsrfConcurrencyTest {

  private static final int PARALLEL = 8;
  private static final int ROUNDS = 20;
  private static ODataPeer peer;

  @BeforeAll
  static void startPeer() throws Exception {
    peer = ODataPeer.start(ODataPeer.Options.defaults());
  }

  @AfterAll
  static void stopPeer() {
    peer.close();
  }

  @Test
  void eightCreatesRightAfterTheSessionExpiredAllSucceedWithOneTokenFetch() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    try (ODataBackend backend = new ODataBackend(ODataSettings.basic(URI.create(peer.url()), "100", "FERRY", "ferry-peer"))) {
      backend.create(ODataBackendTest.acme());
      int externalIds = 0;
      for (int round = 1; round <= ROUNDS; round++) {
        peer.expireSessions();
        int fetchesBefore = peer.csrfFetches();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Customer>> creates = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
          String externalId = "CRM-P" + (++externalIds);
          creates.add(pool.submit(() -> {
            start.await();
            return backend.create(ODataBackendTest.acme().toBuilder().externalId(externalId).build());
          }));
        }
        start.countDown();
        for (Future<Customer> f : creates) {
          assertThat(f.get(60, TimeUnit.SECONDS).customerNumber()).as("round %d", round).isNotNull();
        }
        assertThat(peer.csrfFetches() - fetchesBefore).as("token fetches in round %d", round).isEqualTo(1);
      }
      assertThat(backend.search(new SearchQuery(null, 200, null)).customers())
          .hasSize(1 + PARALLEL * ROUNDS);
    } finally {
      pool.shutdownNow();
    }
  }
}
