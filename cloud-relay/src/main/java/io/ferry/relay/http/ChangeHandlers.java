package io.ferry.relay.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Problem.FieldError;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.change.ChangeBatch;
import io.ferry.protocol.change.ChangeEvent;
import io.ferry.protocol.change.ChangeReceipt;
import io.ferry.relay.auth.AgentIdentity;
import io.ferry.relay.auth.ApiCaller;
import io.ferry.relay.changes.ChangeChecks;
import io.ferry.relay.changes.ChangeCursor;
import io.ferry.protocol.Durations;
import io.ferry.relay.store.ChangeStore;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change feed: agents post what they found changed in SAP ({@code POST /agent/v1/changes}), engines read it
 * in order ({@code GET /v1/customer-changes}).
 *
 * <p>A page carries {@code nextLink} only while more changes are there now, as OData's paging does: Power
 * Automate's pagination and n8n's "until nextLink is absent" then stop by themselves at the end instead of
 * looping. The {@value #CURSOR_HEADER} header always carries the position after the page (also after an empty
 * one), which a polling flow keeps and sends next time; the feed has no last page.
 */
final class ChangeHandlers {

  static final String PATH = "/v1/customer-changes";
  static final String CURSOR_HEADER = "Ferry-Cursor";
  static final int DEFAULT_TOP = 100;
  static final int MAX_TOP = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(ChangeHandlers.class);
  private static final ObjectMapper JSON = Protocol.json();

  private final ChangeStore store;
  private final ChangeCursor cursors;
  private final Clock clock;
  private final Bodies bodies;
  private final URI publicUrl;
  private final Duration retention;
  /** Told when new changes were stored: webhook subscriptions deliver them now rather than at the next tick. */
  private final Runnable changesArrived;

  ChangeHandlers(ChangeStore store, ChangeCursor cursors, Clock clock, Bodies bodies, URI publicUrl,
      Duration retention, Runnable changesArrived) {
    this.changesArrived = changesArrived;
    this.store = store;
    this.cursors = cursors;
    this.clock = clock;
    this.bodies = bodies;
    this.publicUrl = publicUrl;
    this.retention = retention;
  }

  /** The feed as a polling trigger, on the same store and cursors. */
  ChangeTriggerHandlers trigger() {
    return new ChangeTriggerHandlers(this, publicUrl);
  }

  /** {@code POST /agent/v1/changes}: stores the batch's new events for the agent's tenant. */
  void post(Context ctx) {
    AgentIdentity agent = Guard.agent(ctx);
    Answer.json(200, take(agent, bodies.agentMessage(ctx, ChangeBatch.class))).send(ctx);
  }

  /** Checks a batch whole, then stores it; a repeat of an event (by id) is counted, not stored again. */
  ChangeReceipt take(AgentIdentity agent, ChangeBatch batch) {
    AgentHandlers.checkVersion(batch.protocolVersion());
    List<FieldError> errors = ChangeChecks.check(batch);
    if (!errors.isEmpty()) {
      throw new ProblemException(ProblemType.INVALID_FIELDS, "the change batch was not stored: "
          + errors.stream().map(FieldError::field).collect(Collectors.joining(", ")) + " "
          + (errors.size() == 1 ? "is" : "are") + " invalid")
          .errors(errors);
    }
    List<ChangeStore.NewChange> changes = batch.events().stream().map(ChangeHandlers::newChange).toList();
    ChangeStore.Added added = store.add(agent.tenantId(), changes, clock.instant());
    // Counts only: the events carry customer data.
    LOG.debug("agent {} reported {} customer change(s): {} new, {} repeated", agent.agentId(), changes.size(),
        added.added(), added.repeated());
    if (added.added() > 0) {
      changesArrived.run();
    }
    return new ChangeReceipt(Protocol.VERSION, added.added(), added.repeated());
  }

  private static ChangeStore.NewChange newChange(ChangeEvent e) {
    String customer;
    try {
      customer = e.customer() == null ? null : JSON.writeValueAsString(e.customer());
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("could not serialise a customer of a change", ex);
    }
    return new ChangeStore.NewChange(e.id(), e.type(), e.customerNumber(), e.externalId(), e.changedAt(), customer);
  }

  /** {@code GET /v1/customer-changes?cursor=…&top=…}: the tenant's changes after the cursor, oldest first. */
  void list(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String tenant = caller.tenantId();
    int top = top(ctx.queryParam("top"));
    String cursor = ctx.queryParam("cursor");
    long after = cursor == null ? 0 : positionOf(tenant, cursor);
    ChangeStore.Page page = pageAfter(tenant, after, cursor != null, top + 1);
    boolean more = page.changes().size() > top;
    List<ChangeStore.StoredChange> shown = more ? page.changes().subList(0, top) : page.changes();
    long position = shown.isEmpty() ? Math.max(after, page.prunedThrough()) : shown.get(shown.size() - 1).seq();
    String next = cursors.encode(tenant, position);
    String nextLink = more ? BaseUrl.of(publicUrl, ctx) + PATH + "?cursor=" + next + "&top=" + top : null;
    Answer.json(200, new ChangePage(shown.stream().map(ChangeHandlers::view).toList(), nextLink))
        .header(CURSOR_HEADER, next)
        .header("Cache-Control", "no-store")
        .send(ctx);
  }

  /** The position {@code cursor} names in the tenant's feed; 400 naming cursor when it is not one of this feed. */
  long positionOf(String tenant, String cursor) {
    OptionalLong decoded = cursors.decode(tenant, cursor);
    if (decoded.isEmpty()) {
      // The same answer for an edited cursor and another tenant's: neither reveals anything.
      String detail = "cursor is not a cursor of this feed: copy it unchanged from nextLink or the "
          + CURSOR_HEADER + " header, or leave it out to start from the oldest change kept";
      throw new ProblemException(ProblemType.INVALID_PARAMETER, detail)
          .errors(List.of(new FieldError("cursor", detail)));
    }
    return decoded.getAsLong();
  }

  /**
   * Up to {@code limit} changes after {@code after}; 410 when a cursor's position lies before what retention
   * deleted, so a reader hears it missed changes instead of silently skipping them.
   */
  ChangeStore.Page pageAfter(String tenant, long after, boolean fromCursor, int limit) {
    ChangeStore.Page page = store.after(tenant, after, limit);
    if (fromCursor && after < page.prunedThrough()) {
      throw new ProblemException(ProblemType.CHANGES_CURSOR_EXPIRED, "the cursor points before changes older than "
          + "relay.changes-retention (" + Durations.format(retention) + ") that the relay no longer keeps; some "
          + "changes were missed. Start again without a cursor (from the oldest change kept) and reconcile what "
          + "happened meanwhile, for example with GET /v1/customers");
    }
    return page;
  }

  /** The cursor of the position after change {@code seq}. */
  String cursorOf(String tenant, long seq) {
    return cursors.encode(tenant, seq);
  }

  /** The newest change's number: the feed's end. */
  long end(String tenant) {
    return store.last(tenant);
  }

  static int top(String value) {
    if (value == null) {
      return DEFAULT_TOP;
    }
    int top;
    try {
      top = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      top = -1;
    }
    if (top < 1 || top > MAX_TOP) {
      String detail = "top must be a whole number from 1 to " + MAX_TOP + " (default " + DEFAULT_TOP + ")";
      throw new ProblemException(ProblemType.INVALID_FIELDS, detail).errors(List.of(new FieldError("top", detail)));
    }
    return top;
  }

  static ChangeView view(ChangeStore.StoredChange c) {
    JsonNode customer;
    try {
      customer = c.customerJson() == null ? null : JSON.readTree(c.customerJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored change's customer is not JSON", e);
    }
    return new ChangeView(c.eventId(), c.type(), c.customerNumber(), c.externalId(), c.changedAt(), customer);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ChangeView(String id, String type, String customerNumber, String externalId, Instant changedAt,
      JsonNode customer) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ChangePage(List<ChangeView> value, String nextLink) {}
}
