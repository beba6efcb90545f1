package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Customer;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.change.ChangeBatch;
import io.ferry.protocol.change.ChangeEvent;
import io.ferry.relay.auth.Scope;
import io.ferry.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change feed as Power Automate's polling trigger on a real relay ({@code GET /v1/customer-changes/trigger}):
 * an agent posts changes over HTTP, the engine does what the platform does — calls the last Location it got.
 */
class ChangeTriggerTest {

  private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
  private static final String TRIGGER = "/v1/customer-changes/trigger";

  @TempDir Path dataDir;

  private static ChangeEvent change(String number, int second) {
    Customer customer = new Customer(number, "EXT-" + number, "Customer " + number, null, null, null, null, null,
        null, "DE", null, null, null, null, null, null, null, null);
    return ChangeEvent.of(ChangeEvent.CUSTOMER_CHANGED, number, "EXT-" + number, T0.plusSeconds(second), customer);
  }

  private static void stored(FakeAgent agent, List<ChangeEvent> events) {
    Reply r = agent.postWith(agent.authorization("POST", Protocol.CHANGES_PATH), Protocol.CHANGES_PATH,
        new ChangeBatch(Protocol.VERSION, events));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  private static List<String> ids(Reply batch) {
    List<String> ids = new ArrayList<>();
    batch.json().get("value").forEach(v -> ids.add(v.get("id").asText()));
    return ids;
  }

  private static void waits(Reply r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    assertThat(r.header("Retry-After")).isEqualTo("60");
    assertThat(r.header("Location")).contains(TRIGGER + "?cursor=");
  }

  @Test
  void theFirstCallStartsAtTheEndAndOnlyLaterChangesFireOnceEach() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      ChangeEvent before = change("0000100001", 1);
      stored(agent, List.of(before));

      // Switched on now: the baseline, no run, a Location at the feed's end (absolute, to this relay).
      Reply first = tenant.engine().get(TRIGGER);
      waits(first);
      String atEnd = first.header("Location");
      assertThat(atEnd).startsWith(relay.base() + TRIGGER + "?cursor=");
      assertThat(first.body()).isEmpty();

      // Nothing new: 202 again, the very same Location.
      Reply nothing = tenant.engine().get(atEnd);
      waits(nothing);
      assertThat(nothing.header("Location")).isEqualTo(atEnd);

      ChangeEvent a = change("0000100002", 2);
      ChangeEvent b = change("0000100003", 3);
      stored(agent, List.of(a, b, before)); // before is a repeat: it never fires
      Reply fired = tenant.engine().get(atEnd);
      assertThat(fired.status()).as(fired.toString()).isEqualTo(200);
      assertThat(ids(fired)).containsExactly(a.id(), b.id());
      assertThat(fired.json().get("value").get(0).get("customer").get("name").asText())
          .isEqualTo("Customer 0000100002");
      assertThat(fired.json().has("nextLink")).isFalse();
      assertThat(fired.header("Retry-After")).isEqualTo("60");
      String after = fired.header("Location");
      assertThat(after).startsWith(relay.base() + TRIGGER + "?cursor=").isNotEqualTo(atEnd);

      // Followed, nothing is repeated.
      Reply caughtUp = tenant.engine().get(after);
      waits(caughtUp);
      assertThat(caughtUp.header("Location")).isEqualTo(after);
      // The feed from the same cursor agrees: the trigger's cursor is the feed's.
      String cursor = after.substring(after.indexOf("cursor=") + "cursor=".length());
      Reply feed = tenant.engine().get("/v1/customer-changes?cursor=" + cursor);
      assertThat(feed.status()).isEqualTo(200);
      assertThat(feed.json().get("value")).isEmpty();
    }
  }

  @Test
  void topBoundsABatchAndAsksAgainAtOnceWhileMoreWait() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      String url = tenant.engine().get(TRIGGER + "?top=2").header("Location");
      assertThat(url).endsWith("&top=2");
      List<ChangeEvent> events = IntStream.range(0, 5).mapToObj(i -> change("00001000" + (10 + i), i)).toList();
      stored(agent, events);

      List<String> seen = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      List<String> retryAfter = new ArrayList<>();
      Reply r = tenant.engine().get(url);
      while (r.status() == 200) {
        seen.addAll(ids(r));
        sizes.add(r.json().get("value").size());
        retryAfter.add(r.header("Retry-After"));
        assertThat(r.header("Location")).endsWith("&top=2");
        r = tenant.engine().get(r.header("Location"));
      }
      waits(r);
      assertThat(seen).containsExactlyElementsOf(events.stream().map(ChangeEvent::id).toList());
      assertThat(sizes).containsExactly(2, 2, 1);
      assertThat(retryAfter).containsExactly("0", "0", "60");

      for (String bad : List.of("0", "1001", "ten")) {
        Reply refused = tenant.engine().get(TRIGGER + "?top=" + bad);
        assertThat(refused.status()).as(bad).isEqualTo(422);
        assertThat(refused.problem().errors()).extracting(io.ferry.protocol.Problem.FieldError::field)
            .containsExactly("top");
      }
    }
  }

  @Test
  void anExpiredCursorIs410AndAnEditedOne400() {
    ManualClock clock = new ManualClock(T0);
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withChangesRetention(Duration.ofHours(1)), clock)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      String atStart = tenant.engine().get(TRIGGER).header("Location");
      stored(agent, List.of(change("0000300001", 1)));
      clock.advance(Duration.ofMinutes(61));
      stored(agent, List.of(change("0000300002", 2)));
      assertThat(relay.relay.pruneChanges()).isEqualTo(1);

      Reply expired = tenant.engine().get(atStart);
      assertThat(expired.status()).isEqualTo(410);
      assertThat(expired.problem().code()).isEqualTo("FERRY-RELAY-0140");
      assertThat(expired.problem().type()).endsWith("/changes-cursor-expired");

      Reply edited = tenant.engine().get(TRIGGER + "?cursor=AAAAAAAAAAAAAAAAAAAAAA");
      assertThat(edited.status()).isEqualTo(400);
      assertThat(edited.problem().errors()).extracting(io.ferry.protocol.Problem.FieldError::field)
          .containsExactly("cursor");
    }
  }

  @Test
  void pollingNeedsChangesRead() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      String customersOnly = relay.relay.admin().createApiKey(tenant.id(),
          Set.of(Scope.CUSTOMERS_READ, Scope.CUSTOMERS_WRITE), null).key();
      Reply refused = new Engine(relay.base(), customersOnly).get(TRIGGER);
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.problem().code()).isEqualTo("FERRY-RELAY-0206");
      assertThat(refused.problem().detail()).contains("changes:read");
      assertThat(new Engine(relay.base(), null).get(TRIGGER).status()).isEqualTo(401);
      String changesOnly = relay.relay.admin().createApiKey(tenant.id(), Set.of(Scope.CHANGES_READ), null).key();
      assertThat(new Engine(relay.base(), changesOnly).get(TRIGGER).status()).isEqualTo(202);
    }
  }
}
