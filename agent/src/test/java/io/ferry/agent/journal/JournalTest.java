package io.ferry.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ferry.agent.poll.Backoff;
import io.ferry.agent.relay.RelayClient;
import io.ferry.protocol.Customer;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal against a real HTTP endpoint on loopback that plays the relay's result route. */
class JournalTest {

  @TempDir Path dir;
  private HttpServer relay;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(204);

  private URI startRelay(int port) throws IOException {
    relay = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    relay.createContext("/agent/v1/jobs/", exchange -> {
      received.add(exchange.getRequestURI().getPath());
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(status.get(), -1);
      exchange.close();
    });
    relay.start();
    return URI.create("http://127.0.0.1:" + relay.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.stop(0);
    }
  }

  private Journal journal(URI url) throws IOException {
    return journal(url, Clock.systemUTC());
  }

  private Journal journal(URI url, Clock clock) throws IOException {
    RelayClient client = new RelayClient(url, "fa_test", Duration.ofSeconds(1), Duration.ofSeconds(2));
    return new Journal(dir, client, new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), Math::random), clock);
  }

  private static JobResult result(String jobId) {
    return new JobResult(Protocol.VERSION, jobId, 1, JobResult.Outcome.SUCCEEDED,
        Customer.builder().customerNumber("0000100001").build(), null, null, null);
  }

  private static URI nobodyListening() throws IOException {
    try (var probe = new java.net.ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + probe.getLocalPort());
    }
  }

  /**
   * The journal holds customer data (results waiting to be delivered): journal.db and its WAL and shared-memory
   * files are readable by the agent's user only, whatever the umask, also when an older agent left them open.
   */
  @Test
  void theJournalAndItsWalAndShmFilesAreOwnerOnly() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file modes");
    String[] files = {Journal.FILE_NAME, Journal.FILE_NAME + "-wal", Journal.FILE_NAME + "-shm"};
    Journal journal = journal(nobodyListening());
    journal.put(result("job-1"));
    for (String name : files) {
      assertThat(mode(dir.resolve(name))).as(name).isEqualTo("rw-------");
    }
    journal.close();

    for (String name : files) {
      Path f = dir.resolve(name);
      if (!Files.exists(f)) {
        Files.createFile(f);
      }
      Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
    Journal again = journal(nobodyListening());
    again.put(result("job-2"));
    for (String name : files) {
      assertThat(mode(dir.resolve(name))).as(name + " after a restart").isEqualTo("rw-------");
    }
    again.close();
  }

  private static String mode(Path file) throws IOException {
    return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void aResultIsStoredBeforeItIsSentAndThenDelivered() throws Exception {
    Journal journal = journal(startRelay(0));
    journal.put(result("job-1"));
    assertThat(journal.find("job-1").orElseThrow().state()).isEqualTo(Journal.State.PENDING);
    assertThat(dir.resolve(Journal.FILE_NAME)).exists();
    journal.start();
    assertThat(journal.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(received).containsExactly("/agent/v1/jobs/job-1/result");
    assertThat(journal.find("job-1").orElseThrow().state()).isEqualTo(Journal.State.DELIVERED);
    journal.close();
  }

  /**
   * A delivery's DELIVERED mark is no transaction of its own: it is written with the journal's next write. Until
   * then the journal itself answers DELIVERED; what another connection sees of the file meanwhile (what a crash of
   * the agent would leave) is PENDING, which only means the outcome is delivered once more after a restart.
   */
  @Test
  void aDeliveryMarkIsWrittenWithTheNextWriteAndTheJournalCountsItDeliveredMeanwhile() throws Exception {
    Journal journal = journal(startRelay(0));
    journal.start();
    journal.put(result("job-1")); // posted at once by this thread
    assertThat(received).containsExactly("/agent/v1/jobs/job-1/result");
    assertThat(journal.find("job-1").orElseThrow().state()).isEqualTo(Journal.State.DELIVERED);

    journal.put(result("job-2")); // job-1's mark goes with this write
    Journal onDisk = journal(nobodyListening());
    assertThat(onDisk.find("job-1").orElseThrow().state()).isEqualTo(Journal.State.DELIVERED);
    assertThat(onDisk.find("job-2").orElseThrow().state()).isEqualTo(Journal.State.PENDING);
    assertThat(journal.find("job-2").orElseThrow().state()).isEqualTo(Journal.State.DELIVERED);

    journal.close(); // writes the marks still in memory
    assertThat(onDisk.find("job-2").orElseThrow().state()).isEqualTo(Journal.State.DELIVERED);
    assertThat(onDisk.pendingCount()).isZero();
    onDisk.close();
  }

  /** A job marked running and then answered keeps one row, running until its outcome is stored. */
  @Test
  void aRunningJobIsKnownAsRunningUntilItsOutcomeIsStored() throws Exception {
    Journal journal = journal(nobodyListening());
    io.ferry.protocol.JobEnvelope job = new io.ferry.protocol.JobEnvelope(Protocol.VERSION, "job-9",
        io.ferry.protocol.Action.CUSTOMER_READ, 1, Instant.now().plusSeconds(60), Instant.now().plusSeconds(600),
        "0000100001", null, null, null, null, null);
    journal.running(job);
    Journal.Entry running = journal.find("job-9").orElseThrow();
    assertThat(running.state()).isEqualTo(Journal.State.RUNNING);
    assertThat(running.result()).isNull();
    journal.put(result("job-9"));
    assertThat(journal.find("job-9").orElseThrow().state()).isEqualTo(Journal.State.PENDING);
    assertThat(journal.pendingCount()).isEqualTo(1);
    journal.close();
  }

  /**
   * Workers storing results all at once while the sender delivers (writes committed in groups, deliveries
   * side by side): every result is kept, delivered exactly once and marked delivered.
   */
  @Test
  void resultsStoredByManyWorkersAtOnceAreEachDeliveredOnce() throws Exception {
    Journal journal = journal(startRelay(0));
    journal.start();
    int workers = 16;
    int each = 25;
    CountDownLatch go = new CountDownLatch(1);
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      int worker = w;
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          go.await();
          for (int i = 0; i < each; i++) {
            journal.put(result("job-" + worker + "-" + i));
          }
        } catch (Exception | Error e) {
          failures.add(e);
        }
      }));
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();

    assertThat(journal.flush(Duration.ofSeconds(30))).isTrue();
    assertThat(received).hasSize(workers * each).doesNotHaveDuplicates();
    for (int w = 0; w < workers; w++) {
      for (int i = 0; i < each; i++) {
        assertThat(journal.find("job-" + w + "-" + i).orElseThrow().state()).isEqualTo(Journal.State.DELIVERED);
      }
    }
    journal.close();
  }

  /**
   * A relay with the batch route: results stored while a delivery is on the wire go together in the next
   * request, each still delivered exactly once; the relay's refusal of one result does not hold up the others.
   */
  @Test
  void resultsFinishedWhileADeliveryIsOnTheWireGoTogetherInTheNextEachOnce() throws Exception {
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    relay = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    relay.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    relay.createContext(Protocol.RESULTS_PATH, exchange -> {
      var batch = Protocol.json().readValue(exchange.getRequestBody(), io.ferry.protocol.ResultBatch.class);
      batchSizes.add(batch.results().size());
      List<io.ferry.protocol.ResultReceipts.Receipt> receipts = new ArrayList<>();
      for (JobResult r : batch.results()) {
        received.add(r.jobId());
        boolean refused = r.jobId().equals("job-refused");
        receipts.add(new io.ferry.protocol.ResultReceipts.Receipt(r.jobId(), r.attempt(), refused ? 409 : 204, null));
      }
      try {
        Thread.sleep(20); // a delivery on the wire while the workers go on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = Protocol.json().writeValueAsBytes(
          new io.ferry.protocol.ResultReceipts(Protocol.VERSION, receipts));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    relay.createContext("/agent/v1/jobs/", exchange -> {
      received.add(exchange.getRequestURI().getPath().split("/")[4]);
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    relay.start();
    Journal journal = journal(URI.create("http://127.0.0.1:" + relay.getAddress().getPort()));
    journal.start();
    int workers = 16;
    int each = 10;
    CountDownLatch go = new CountDownLatch(1);
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      int worker = w;
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          go.await();
          for (int i = 0; i < each; i++) {
            journal.put(result(worker == 0 && i == 0 ? "job-refused" : "job-" + worker + "-" + i));
          }
        } catch (Exception | Error e) {
          failures.add(e);
        }
      }));
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();

    assertThat(journal.flush(Duration.ofSeconds(30))).isTrue();
    assertThat(received).hasSize(workers * each).doesNotHaveDuplicates();
    assertThat(batchSizes).as("several results in one request").anyMatch(n -> n > 1);
    assertThat(journal.find("job-refused").orElseThrow().state()).as("refused for good: not sent again")
        .isEqualTo(Journal.State.DELIVERED);
    assertThat(journal.find("job-3-4").orElseThrow().state()).isEqualTo(Journal.State.DELIVERED);
    journal.close();
  }

  /**
   * The SQS transport's seam: the journal delivers through any {@link ResultSender} (there the group's results
   * queue), with the same durability, back-off and re-send as towards the relay.
   */
  @Test
  void resultsGoThroughTheSenderItIsGivenAndWaitOutItsFailures() throws Exception {
    List<String> sent = new CopyOnWriteArrayList<>();
    AtomicInteger failures = new AtomicInteger(2);
    ResultSender queue = r -> {
      if (failures.getAndDecrement() > 0) {
        throw io.ferry.agent.relay.RelayException.of(io.ferry.agent.relay.RelayException.Kind.NETWORK,
            "the queue is out of reach", null);
      }
      sent.add(r.jobId() + "#" + r.attempt());
    };
    Journal journal = new Journal(dir, queue, new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), Math::random),
        Clock.systemUTC());
    journal.put(result("job-q"));
    journal.start();

    assertThat(journal.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(sent).containsExactly("job-q#1");
    assertThat(journal.find("job-q").orElseThrow().state()).isEqualTo(Journal.State.DELIVERED);
    journal.close();
  }

  @Test
  void resultsSurviveARelayOutageAndAnAgentRestart() throws Exception {
    URI url = nobodyListening();
    Journal first = journal(url);
    first.start();
    first.put(result("job-2"));
    assertThat(first.flush(Duration.ofMillis(300))).isFalse();
    first.close();

    startRelay(url.getPort());
    Journal second = journal(url);
    assertThat(second.pendingCount()).isEqualTo(1);
    second.start();
    assertThat(second.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(received).containsExactly("/agent/v1/jobs/job-2/result");
    second.close();
  }

  @Test
  void aResultTheRelayRefusesForGoodIsNotRetriedForEverButKept() throws Exception {
    status.set(409);
    Journal journal = journal(startRelay(0));
    journal.start();
    journal.put(result("job-3"));
    assertThat(journal.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(received).hasSize(1);
    // Kept to answer the newer attempt the relay is waiting for.
    assertThat(journal.find("job-3").orElseThrow().result()).isNotNull();
    journal.close();
  }

  @Test
  void deliveredResultsAreForgottenAfterADayAndUnfinishedOnesAreNot() throws Exception {
    URI url = startRelay(0);
    Journal journal = journal(url);
    journal.start();
    journal.put(result("job-4"));
    assertThat(journal.flush(Duration.ofSeconds(5))).isTrue();
    journal.close();
    Journal offline = journal(nobodyListening());
    offline.put(result("job-5"));
    offline.close();

    Clock tomorrow = Clock.fixed(Instant.now().plus(Journal.RETENTION).plusSeconds(60), ZoneOffset.UTC);
    Journal later = journal(nobodyListening(), tomorrow);
    later.start();
    assertThat(later.find("job-4")).isEmpty();
    assertThat(later.find("job-5").orElseThrow().state()).isEqualTo(Journal.State.PENDING);
    later.close();
  }

  @Test
  void theFileOutboxOfAnOlderAgentIsImportedOnce() throws Exception {
    Path pending = Files.createDirectories(dir.resolve("outbox/pending"));
    Path sent = Files.createDirectories(dir.resolve("outbox/sent"));
    Files.write(pending.resolve("job-6.json"), Protocol.json().writeValueAsBytes(result("job-6")));
    Files.write(sent.resolve("job-7.json"), Protocol.json().writeValueAsBytes(result("job-7")));

    Journal journal = journal(startRelay(0));
    assertThat(journal.find("job-6").orElseThrow().state()).isEqualTo(Journal.State.PENDING);
    assertThat(journal.find("job-7").orElseThrow().state()).isEqualTo(Journal.State.DELIVERED);
    assertThat(dir.resolve("outbox")).doesNotExist();
    assertThat(dir.resolve("outbox.imported/pending/job-6.json")).exists();
    journal.start();
    assertThat(journal.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(received).containsExactly("/agent/v1/jobs/job-6/result");
    journal.close();

    Journal again = journal(relay == null ? nobodyListening() : URI.create("http://127.0.0.1:" + relay.getAddress().getPort()));
    assertThat(again.find("job-6").orElseThrow().state()).isEqualTo(Journal.State.DELIVERED);
    again.close();
  }
}
