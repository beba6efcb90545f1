package io.ferry.agent.changes;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ferry.agent.poll.Backoff;
import io.ferry.agent.relay.RelayClient;
import io.ferry.agent.relay.RelayException;
import io.ferry.protocol.Customer;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.change.ChangeBatch;
import io.ferry.protocol.change.ChangeEvent;
import io.ferry.protocol.change.ChangeReceipt;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender against a loopback HTTP server playing the relay's {@code POST /agent/v1/changes}: batches of at most
 * 200, events leave the outbox only once confirmed, and while the relay is down they wait — across a restart too.
 */
class ChangeSenderTest {

  @TempDir Path dir;
  private HttpServer relay;
  private final List<ChangeBatch> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private final List<AutoCloseable> open = new ArrayList<>();

  private URI startRelay() throws IOException {
    relay = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    relay.createContext(Protocol.CHANGES_PATH, exchange -> {
      ChangeBatch batch = Protocol.json().readValue(exchange.getRequestBody().readAllBytes(), ChangeBatch.class);
      int code = status.get();
      if (code != 200) {
        exchange.sendResponseHeaders(code, -1);
        exchange.close();
        return;
      }
      received.add(batch);
      byte[] body = Protocol.json().writeValueAsBytes(new ChangeReceipt(Protocol.VERSION, batch.events().size(), 0));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    relay.start();
    return URI.create("http://127.0.0.1:" + relay.getAddress().getPort());
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    if (relay != null) {
      relay.stop(0);
    }
  }

  private <T extends AutoCloseable> T opened(T t) {
    open.add(t);
    return t;
  }

  private ChangeSender sender(ChangeJournal journal, URI url, AtomicInteger sent) {
    RelayClient client = opened(new RelayClient(url, "fa_test", Duration.ofSeconds(1), Duration.ofSeconds(2)));
    return new ChangeSender(journal, client::sendChanges,
        new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), Math::random), Clock.systemUTC(), sent::addAndGet);
  }

  private static List<ChangeEvent> events(int n) {
    List<ChangeEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String number = String.format("%010d", 100000 + i);
      events.add(ChangeEvent.of(ChangeEvent.CUSTOMER_CHANGED, number, null, Instant.parse("2026-12-08T00:00:00Z"),
          Customer.builder().customerNumber(number).build()));
    }
    return events;
  }

  @Test
  void theOutboxIsPostedInBatchesOfAtMost200AndLeavesItOnceConfirmed() throws Exception {
    URI url = startRelay();
    ChangeJournal journal = opened(new ChangeJournal(dir));
    journal.record(CustomerWatcher.OBJECT, events(450), Instant.now());
    AtomicInteger sent = new AtomicInteger();
    ChangeSender sender = opened(sender(journal, url, sent)).start();

    assertThat(sender.awaitEmpty(Duration.ofSeconds(20))).isTrue();

    assertThat(received).extracting(b -> b.events().size()).containsExactly(200, 200, 50);
    Set<String> ids = new HashSet<>();
    received.forEach(b -> b.events().forEach(e -> ids.add(e.id())));
    assertThat(ids).hasSize(450);
    assertThat(sent).hasValue(450);
    assertThat(journal.pendingCount()).isZero();
  }

  @Test
  void whileTheRelayIsDownEventsWaitAndAreSentLater() throws Exception {
    URI url = startRelay();
    status.set(503);
    ChangeJournal journal = opened(new ChangeJournal(dir));
    journal.record(CustomerWatcher.OBJECT, events(3), Instant.now());
    ChangeSender sender = sender(journal, url, new AtomicInteger());

    org.junit.jupiter.api.Assertions.assertThrows(RelayException.class, sender::sendOnce);
    assertThat(journal.pendingCount()).isEqualTo(3);

    status.set(200);
    assertThat(sender.sendOnce()).isEqualTo(3);
    assertThat(journal.pendingCount()).isZero();
    assertThat(received).hasSize(1);
  }

  @Test
  void eventsNotSentBeforeAStopAreSentAfterTheNextStart() throws Exception {
    URI url = startRelay();
    status.set(503);
    ChangeJournal first = new ChangeJournal(dir);
    first.record(CustomerWatcher.OBJECT, events(2), Instant.now());
    ChangeSender stopped = sender(first, url, new AtomicInteger()).start();
    assertThat(stopped.awaitEmpty(Duration.ofMillis(300))).isFalse();
    stopped.close();
    first.close();

    status.set(200);
    ChangeJournal second = opened(new ChangeJournal(dir));
    ChangeSender restarted = opened(sender(second, url, new AtomicInteger())).start();

    assertThat(restarted.awaitEmpty(Duration.ofSeconds(20))).isTrue();
    assertThat(received).hasSize(1);
    assertThat(received.get(0).events()).hasSize(2);
  }
}
