package io.ferry.relay.http;

import io.ferry.relay.auth.ApiCaller;
import io.ferry.relay.store.ChangeStore;
import io.javalin.http.Context;
import java.net.URI;
import java.util.List;

/**
 * The change feed as a polling trigger ({@code GET /v1/customer-changes/trigger}), in the Location/state contract
 * Power Automate and Logic Apps follow: the engine keeps no state of its own, it calls the last {@code Location} it
 * was given. {@code 202} with {@code Retry-After} says "nothing new, ask again there later" and starts no run;
 * {@code 200} with {@code {"value":[…]}} starts one, and its {@code Location} carries the cursor after the last
 * change it returned. The cursor, the store and the expired-cursor answer are the feed's ({@link ChangeHandlers}).
 *
 * <p>Without a cursor the trigger starts at the feed's <em>end</em>, not at the oldest change kept as the feed
 * does: a flow switched on now is about what changes from now on, and a first run flooded with up to
 * relay.changes-retention of old changes is rarely wanted (the feed itself reads those).
 */
final class ChangeTriggerHandlers {

  static final String PATH = ChangeHandlers.PATH + "/trigger";
  /**
   * How long an engine waits before asking again when nothing is new. A minute matches the agent's default scan
   * interval (agent.changes.interval): polling more often finds nothing the agent has not found yet, and each
   * poll counts as an action run in Power Automate.
   */
  static final int RETRY_AFTER_SECONDS = 60;

  private final ChangeHandlers feed;
  private final URI publicUrl;

  ChangeTriggerHandlers(ChangeHandlers feed, URI publicUrl) {
    this.feed = feed;
    this.publicUrl = publicUrl;
  }

  /** {@code GET /v1/customer-changes/trigger?cursor=…&top=…}. */
  void poll(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String tenant = caller.tenantId();
    String topParam = ctx.queryParam("top");
    int top = ChangeHandlers.top(topParam);
    // A top the caller chose stays in every Location; none given, none added.
    Integer kept = topParam == null ? null : top;
    String cursor = ctx.queryParam("cursor");
    if (cursor == null) {
      // The baseline: no run, only the position to poll from.
      waitAt(ctx, feed.cursorOf(tenant, feed.end(tenant)), kept);
      return;
    }
    long after = feed.positionOf(tenant, cursor);
    ChangeStore.Page page = feed.pageAfter(tenant, after, true, top + 1);
    if (page.changes().isEmpty()) {
      waitAt(ctx, cursor, kept);
      return;
    }
    boolean more = page.changes().size() > top;
    List<ChangeStore.StoredChange> shown = more ? page.changes().subList(0, top) : page.changes();
    String next = feed.cursorOf(tenant, shown.get(shown.size() - 1).seq());
    Answer.json(200, new TriggerBatch(shown.stream().map(ChangeHandlers::view).toList()))
        .header("Location", location(ctx, next, kept))
        // More waiting already: ask again at once rather than in a minute (the pattern's "Retry-After: 0").
        .header("Retry-After", String.valueOf(more ? 0 : RETRY_AFTER_SECONDS))
        .header(ChangeHandlers.CURSOR_HEADER, next)
        .header("Cache-Control", "no-store")
        .send(ctx);
  }

  private void waitAt(Context ctx, String cursor, Integer top) {
    Answer.empty(202)
        .header("Location", location(ctx, cursor, top))
        .header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS))
        .header(ChangeHandlers.CURSOR_HEADER, cursor)
        .header("Cache-Control", "no-store")
        .send(ctx);
  }

  /** This trigger's absolute URL at {@code cursor}, with the caller's own {@code top} when it gave one. */
  private String location(Context ctx, String cursor, Integer top) {
    String url = BaseUrl.of(publicUrl, ctx) + PATH + "?cursor=" + cursor;
    return top == null ? url : url + "&top=" + top;
  }

  /** A trigger's batch: Power Automate splits {@code value} into one run per change ({@code x-ms-trigger: batch}). */
  record TriggerBatch(List<ChangeHandlers.ChangeView> value) {}
}
