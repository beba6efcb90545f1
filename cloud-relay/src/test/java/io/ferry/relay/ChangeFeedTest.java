package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Customer;
import io.ferry.protocol.Problem;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.change.ChangeBatch;
import io.ferry.protocol.change.ChangeEvent;
import io.ferry.protocol.change.ChangeReceipt;
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
 * The change feed end to end on a real relay: an agent posts changes over HTTP ({@code POST /agent/v1/changes}),
 * an engine reads them ({@code GET /v1/customer-changes}) page by page with the cursor.
 */
class ChangeFeedTest {

  private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");

  @TempDir Path dataDir;

  private static ChangeEvent change(String type, String number, int second) {
    Customer customer = new Customer(number, "EXT-" + number, "Customer " + number, null, null, null, null, null,
        null, "DE", null, null, null, null, null, null, null, null);
    return ChangeEvent.of(type, number, "EXT-" + number, T0.plusSeconds(second), customer);
  }

  private static Reply post(FakeAgent agent, List<ChangeEvent> events) {
    return agent.postWith(agent.authorization("POST", Protocol.CHANGES_PATH), Protocol.CHANGES_PATH,
        new ChangeBatch(Protocol.VERSION, events));
  }

  private static ChangeReceipt stored(FakeAgent agent, List<ChangeEvent> events) {
    Reply r = post(agent, events);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.as(ChangeReceipt.class);
  }

  private static List<String> ids(Reply page) {
    List<String> ids = new ArrayList<>();
    page.json().get("value").forEach(v -> ids.add(v.get("id").asText()));
    return ids;
  }

  @Test
  void aBatchIsStoredAndListedInOrderAndARepeatIsCountedAndListedOnce() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      ChangeEvent a = change(ChangeEvent.CUSTOMER_CREATED, "0000100001", 1);
      ChangeEvent b = change(ChangeEvent.CUSTOMER_CHANGED, "0000100002", 2);
      ChangeEvent c = change(ChangeEvent.CUSTOMER_CHANGED, "0000100001", 3);

      ChangeReceipt first = stored(agent, List.of(a, b));
      assertThat(first.added()).isEqualTo(2);
      assertThat(first.repeated()).isZero();
      // b again (an overlap window) and a new one: b is counted, not stored again.
      ChangeReceipt second = stored(agent, List.of(b, c));
      assertThat(second.added()).isEqualTo(1);
      assertThat(second.repeated()).isEqualTo(1);

      Reply page = tenant.engine().get("/v1/customer-changes");
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      assertThat(ids(page)).containsExactly(a.id(), b.id(), c.id());
      JsonNode shown = page.json().get("value").get(0);
      assertThat(shown.get("type").asText()).isEqualTo("customer.created");
      assertThat(shown.get("customerNumber").asText()).isEqualTo("0000100001");
      assertThat(shown.get("externalId").asText()).isEqualTo("EXT-0000100001");
      assertThat(Instant.parse(shown.get("changedAt").asText())).isEqualTo(T0.plusSeconds(1));
      assertThat(shown.get("customer").get("name").asText()).isEqualTo("Customer 0000100001");
      // Caught up: no nextLink (a pager stops), but the cursor to poll with later.
      assertThat(page.json().has("nextLink")).isFalse();
      String cursor = page.header("Ferry-Cursor");
      assertThat(cursor).isNotBlank();

      Reply nothingYet = tenant.engine().get("/v1/customer-changes?cursor=" + cursor);
      assertThat(nothingYet.status()).isEqualTo(200);
      assertThat(ids(nothingYet)).isEmpty();
      assertThat(nothingYet.header("Ferry-Cursor")).isEqualTo(cursor);

      ChangeEvent d = change(ChangeEvent.CUSTOMER_CHANGED, "0000100003", 4);
      stored(agent, List.of(d, a)); // a is an old repeat: it does not come back
      Reply later = tenant.engine().get("/v1/customer-changes?cursor=" + cursor);
      assertThat(ids(later)).containsExactly(d.id());
    }
  }

  @Test
  void pagesFollowNextLinkInSequenceOrderAndTopIsBounded() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      List<ChangeEvent> events = IntStream.range(0, 5)
          .mapToObj(i -> change(ChangeEvent.CUSTOMER_CHANGED, "00001000" + (10 + i), i)).toList();
      stored(agent, events);

      List<String> seen = new ArrayList<>();
      List<Integer> pageSizes = new ArrayList<>();
      String url = "/v1/customer-changes?top=2";
      while (url != null) {
        Reply page = tenant.engine().get(url);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        seen.addAll(ids(page));
        pageSizes.add(page.json().get("value").size());
        url = page.json().has("nextLink") ? page.json().get("nextLink").asText() : null;
        if (url != null) {
          assertThat(url).startsWith(relay.base() + "/v1/customer-changes?cursor=").contains("top=2");
        }
      }
      assertThat(seen).containsExactlyElementsOf(events.stream().map(ChangeEvent::id).toList());
      assertThat(pageSizes).containsExactly(2, 2, 1);

      for (String bad : List.of("0", "1001", "-1", "ten")) {
        Reply refused = tenant.engine().get("/v1/customer-changes?top=" + bad);
        assertThat(refused.status()).as(bad).isEqualTo(422);
        assertThat(refused.problem().errors()).extracting(Problem.FieldError::field).containsExactly("top");
      }
      assertThat(tenant.engine().get("/v1/customer-changes?top=1000").status()).isEqualTo(200);
    }
  }

  @Test
  void twoTenantsAreIsolatedAndATamperedOrForeignCursorIsRefusedAlike() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant one = relay.tenant();
      TestRelay.Tenant two = relay.tenant();
      ChangeEvent ofOne = change(ChangeEvent.CUSTOMER_CREATED, "0000200001", 1);
      ChangeEvent ofTwo = change(ChangeEvent.CUSTOMER_CREATED, "0000200002", 1);
      stored(one.enrollAgent(), List.of(ofOne));
      // The same event id in another tenant is that tenant's own change, not a repeat.
      ChangeReceipt twos = stored(two.enrollAgent(), List.of(ofTwo, ofOne));
      assertThat(twos.added()).isEqualTo(2);

      Reply pageOne = one.engine().get("/v1/customer-changes");
      assertThat(ids(pageOne)).containsExactly(ofOne.id());
      Reply pageTwo = two.engine().get("/v1/customer-changes");
      assertThat(ids(pageTwo)).containsExactly(ofTwo.id(), ofOne.id());

      String cursorOfOne = pageOne.header("Ferry-Cursor");
      Reply foreign = two.engine().get("/v1/customer-changes?cursor=" + cursorOfOne);
      assertThat(foreign.status()).isEqualTo(400);
      assertThat(foreign.problem().errors()).extracting(Problem.FieldError::field).containsExactly("cursor");

      char last = cursorOfOne.charAt(cursorOfOne.length() - 1);
      String edited = cursorOfOne.substring(0, cursorOfOne.length() - 1) + (last == 'A' ? 'B' : 'A');
      Reply tampered = one.engine().get("/v1/customer-changes?cursor=" + edited);
      assertThat(tampered.status()).isEqualTo(400);
      assertThat(tampered.problem().code()).isEqualTo("FERRY-RELAY-0113");
      assertThat(tampered.problem().errors()).extracting(Problem.FieldError::field).containsExactly("cursor");
      // Same words for both: a refusal does not tell a foreign cursor from an edited one.
      assertThat(tampered.problem().detail()).isEqualTo(foreign.problem().detail());
      assertThat(one.engine().get("/v1/customer-changes?cursor=not-a-cursor").status()).isEqualTo(400);
    }
  }

  @Test
  void aCursorBeforeWhatRetentionPrunedIs410AndNoCursorStartsAgain() {
    ManualClock clock = new ManualClock(T0);
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withChangesRetention(Duration.ofHours(1)), clock)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      ChangeEvent old1 = change(ChangeEvent.CUSTOMER_CHANGED, "0000300001", 1);
      ChangeEvent old2 = change(ChangeEvent.CUSTOMER_CHANGED, "0000300002", 2);
      stored(agent, List.of(old1, old2));
      Reply start = tenant.engine().get("/v1/customer-changes?top=1");
      assertThat(ids(start)).containsExactly(old1.id());
      String behind = start.header("Ferry-Cursor");

      clock.advance(Duration.ofMinutes(61));
      ChangeEvent fresh = change(ChangeEvent.CUSTOMER_CHANGED, "0000300003", 3);
      stored(agent, List.of(fresh));
      assertThat(relay.relay.pruneChanges()).isEqualTo(2);

      Reply expired = tenant.engine().get("/v1/customer-changes?cursor=" + behind);
      assertThat(expired.status()).isEqualTo(410);
      assertThat(expired.problem().code()).isEqualTo("FERRY-RELAY-0140");
      assertThat(expired.problem().type()).endsWith("/changes-cursor-expired");
      assertThat(expired.problem().detail()).contains("relay.changes-retention (1h)").contains("without a cursor");

      Reply again = tenant.engine().get("/v1/customer-changes");
      assertThat(again.status()).isEqualTo(200);
      assertThat(ids(again)).containsExactly(fresh.id());
      // A repeat of a pruned change arrives as new: retention forgot it (documented).
      Reply caughtUp = tenant.engine().get("/v1/customer-changes?cursor=" + again.header("Ferry-Cursor"));
      assertThat(caughtUp.status()).isEqualTo(200);
      assertThat(ids(caughtUp)).isEmpty();
    }
  }

  @Test
  void readingNeedsChangesReadAndPostingNeedsAnAgent() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      String customersOnly = relay.relay.admin().createApiKey(tenant.id(),
          Set.of(Scope.CUSTOMERS_READ, Scope.CUSTOMERS_WRITE), null).key();
      Reply refused = new Engine(relay.base(), customersOnly).get("/v1/customer-changes");
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.problem().code()).isEqualTo("FERRY-RELAY-0206");
      assertThat(refused.problem().detail()).contains("changes:read");
      String changesOnly = relay.relay.admin().createApiKey(tenant.id(), Set.of(Scope.CHANGES_READ), null).key();
      assertThat(new Engine(relay.base(), changesOnly).get("/v1/customer-changes").status()).isEqualTo(200);
      // New keys made without naming scopes read the feed (Scope.ENGINE), as the tenant's key here does.
      assertThat(tenant.engine().get("/v1/customer-changes").status()).isEqualTo(200);

      FakeAgent agent = tenant.enrollAgent();
      Reply anonymous = agent.postWith("Bearer not-an-agent-key", Protocol.CHANGES_PATH,
          new ChangeBatch(Protocol.VERSION, List.of(change(ChangeEvent.CUSTOMER_CREATED, "1", 1))));
      assertThat(anonymous.status()).isEqualTo(401);
      Reply engineKey = new Engine(relay.base(), tenant.apiKey()).post(Protocol.CHANGES_PATH, "{}");
      assertThat(engineKey.status()).isEqualTo(401);
    }
  }

  @Test
  void aBadBatchIsRefusedWholeNamingEachEventsField() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      ChangeEvent good = change(ChangeEvent.CUSTOMER_CREATED, "0000400001", 1);
      ChangeEvent bad = new ChangeEvent("chg_XYZ", "customer.deleted", "TOO-LONG-NUMBER", null, null, null);
      Reply refused = post(agent, List.of(good, bad));
      assertThat(refused.status()).isEqualTo(422);
      assertThat(refused.problem().errors()).extracting(Problem.FieldError::field)
          .containsExactly("events[1].id", "events[1].type", "events[1].customerNumber", "events[1].changedAt");
      // Nothing of it was stored, the good event neither.
      assertThat(ids(tenant.engine().get("/v1/customer-changes"))).isEmpty();

      Reply empty = post(agent, List.of());
      assertThat(empty.status()).isEqualTo(422);
      assertThat(empty.problem().errors()).extracting(Problem.FieldError::field).containsExactly("events");
      List<ChangeEvent> tooMany = IntStream.range(0, ChangeBatch.MAX_EVENTS + 1)
          .mapToObj(i -> change(ChangeEvent.CUSTOMER_CHANGED, "0000400002", i)).toList();
      assertThat(post(agent, tooMany).status()).isEqualTo(422);
      Reply oldVersion = agent.postWith(agent.authorization("POST", Protocol.CHANGES_PATH), Protocol.CHANGES_PATH,
          new ChangeBatch(0, List.of(good)));
      assertThat(oldVersion.status()).isEqualTo(400);
      assertThat(oldVersion.problem().code()).isEqualTo("FERRY-RELAY-0107");
    }
  }
}
