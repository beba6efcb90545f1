package io.ferry.relay.subscriptions;

import io.ferry.relay.audit.AuditLog;
import io.ferry.relay.auth.WebhookSecrets;
import io.ferry.relay.callback.CallbackSender;
import io.ferry.relay.callback.WakeableLoop;
import io.ferry.relay.callback.CallbackUrls;
import io.ferry.relay.callback.WebhookSignature;
import io.ferry.relay.store.AccessStore;
import io.ferry.relay.store.ChangeStore;
import io.ferry.relay.store.ChangeStore.StoredChange;
import io.ferry.relay.store.SubscriptionStore;
import io.ferry.relay.store.SubscriptionStore.Subscription;
import io.ferry.relay.store.Ulid;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts each subscription's new matching change-feed events to its URL, one POST per event, in feed order,
 * signed per Standard Webhooks with the webhook secret of the API key that made the subscription.
 *
 * <p>Durable: a subscription's position (the last feed number it is done with) is in the database and moves only
 * after a 2xx, so a stop or a crash between the POST and the update sends that event again (at least once;
 * engines deduplicate by {@code webhook-id}, the event's id). One thread per relay delivers, woken when an agent
 * posts changes and every second otherwise (changes another relay stored, retries that fall due). Each
 * subscription it works on is leased in the store first: two relays on one PostgreSQL never post one
 * subscription's events at once, so its order holds.
 *
 * <p>A failed event is tried again after {@link Backoff}; the subscription waits at it (later events wait too:
 * order before progress). After {@link #DISABLE_AFTER} of failures, or when the receiver answers 410 Gone, or
 * when its API key is revoked, the subscription is disabled and the audit log says so.
 */
public final class SubscriptionDelivery implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionDelivery.class);
  static final Duration DISABLE_AFTER = Duration.ofHours(24);
  private static final Duration TICK = Duration.ofSeconds(1);
  /** Long enough for a run's posts; a run stops at half of it, so the lease never runs out under it. */
  static final Duration LEASE = Duration.ofMinutes(2);
  private static final int SUBSCRIPTIONS_PER_RUN = 20;
  private static final int PAGE = 50;
  private static final MediaType JSON = MediaType.get("application/json");

  private final SubscriptionStore subscriptions;
  private final ChangeStore changes;
  private final AccessStore access;
  private final WebhookSecrets secrets;
  private final AuditLog audit;
  private final Clock clock;
  private final boolean privateNetworks;
  private final boolean loopback;
  private final OkHttpClient http;
  /** This relay's name on the leases it takes. */
  private final String owner = "relay-" + Ulid.next();
  private final WakeableLoop loop = new WakeableLoop("ferry-subscriptions", "subscription delivery", TICK, this::runOnce);

  public SubscriptionDelivery(SubscriptionStore subscriptions, ChangeStore changes, AccessStore access,
      WebhookSecrets secrets, AuditLog audit, Clock clock, boolean privateNetworks, boolean loopback) {
    this.subscriptions = subscriptions;
    this.changes = changes;
    this.access = access;
    this.secrets = secrets;
    this.audit = audit;
    this.clock = clock;
    this.privateNetworks = privateNetworks;
    this.loopback = loopback;
    this.http = CallbackSender.client(privateNetworks, loopback);
  }

  public void start() {
    loop.start();
  }

  /** Changes arrived (or the clock moved, in tests): look now rather than at the next tick. */
  public void wake() {
    loop.wake();
  }

  void runOnce() {
    Instant now = clock.instant();
    List<Subscription> claimed = subscriptions.claimDue(owner, now, now.plus(LEASE), SUBSCRIPTIONS_PER_RUN);
    for (Subscription s : claimed) {
      try {
        if (!Thread.currentThread().isInterrupted()) {
          deliver(s);
        }
      } finally {
        subscriptions.release(s.id(), owner);
      }
    }
  }

  private void deliver(Subscription s) {
    Optional<AccessStore.ApiKeyRecord> key = access.findApiKey(s.apiKeyId());
    if (key.isEmpty() || key.get().revokedAt() != null) {
      disable(s, "the API key that made it was revoked");
      return;
    }
    Optional<byte[]> signingKey = secrets.signingKey(s.apiKeyId());
    if (signingKey.isEmpty()) {
      disable(s, "the API key that made it has no webhook secret");
      return;
    }
    long started = System.nanoTime();
    long position = s.position();
    int attempts = s.attempts();
    Instant failingSince = s.failingSince();
    while (System.nanoTime() - started < LEASE.toNanos() / 2) {
      List<StoredChange> page = changes.after(s.tenantId(), position, PAGE).changes();
      if (page.isEmpty()) {
        return;
      }
      for (StoredChange change : page) {
        if (Thread.currentThread().isInterrupted()) {
          return; // stopping: the position is stored, the next start carries on
        }
        if (!s.events().contains(change.type())) {
          // Not asked for: done with it, without a POST.
          if (!subscriptions.advance(s.id(), owner, change.seq(), 0, clock.instant())) {
            return;
          }
          position = change.seq();
          continue;
        }
        Optional<String> error = post(s, signingKey.get(), change);
        if (error == null) {
          return; // stopping mid-call: not counted
        }
        if (error.isEmpty()) {
          if (!subscriptions.advance(s.id(), owner, change.seq(), 1, clock.instant())) {
            return; // deleted, disabled or taken over meanwhile
          }
          position = change.seq();
          attempts = 0;
          failingSince = null;
          continue;
        }
        failed(s, attempts + 1, failingSince, error.get());
        return;
      }
    }
  }

  /** Empty when the receiver took it (2xx); the error otherwise; null when the relay is stopping. */
  private Optional<String> post(Subscription s, byte[] signingKey, StoredChange change) {
    // The URL again, under today's settings: the operator may have narrowed the callback rules since.
    Optional<CallbackUrls.Problem> refused = CallbackUrls.problem(s.url(), privateNetworks, loopback);
    if (refused.isPresent()) {
      return Optional.of("the URL " + refused.get().message());
    }
    byte[] body = EventBody.of(change);
    long timestamp = clock.instant().getEpochSecond();
    Request request;
    try {
      request = new Request.Builder().url(s.url())
          .header("User-Agent", "ferry-relay")
          .header("webhook-id", change.eventId())
          .header("webhook-timestamp", Long.toString(timestamp))
          .header("webhook-signature", WebhookSignature.sign(signingKey, change.eventId(), timestamp, body))
          .post(RequestBody.create(body, JSON))
          .build();
    } catch (IllegalArgumentException e) {
      return Optional.of("the URL is not usable: " + e.getMessage());
    }
    try (Response response = http.newCall(request).execute()) {
      int status = response.code();
      if (status >= 200 && status < 300) {
        return Optional.empty();
      }
      if (status == 410) {
        // Standard Webhooks: 410 Gone means the receiver wants no more.
        disable(s, "the receiver answered 410 Gone");
        return null;
      }
      return Optional.of("HTTP " + status);
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) {
        return null;
      }
      return Optional.of(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  private void failed(Subscription s, int attempt, Instant failingBefore, String error) {
    Instant now = clock.instant();
    Instant failingSince = failingBefore == null ? now : failingBefore;
    if (!Duration.between(failingSince, now).minus(DISABLE_AFTER).isNegative()) {
      subscriptions.failed(s.id(), owner, error, now, null);
      disable(s, "its URL failed for " + DISABLE_AFTER.toHours() + " h (last: " + error + ")");
      return;
    }
    Duration wait = Backoff.after(attempt);
    subscriptions.failed(s.id(), owner, error, now, now.plus(wait));
    // The id only: the URL may carry a token in its query.
    LOG.info("subscription {} delivery failed (attempt {}: {}); next attempt in {}s", s.id(), attempt, error,
        wait.toSeconds());
  }

  private void disable(Subscription s, String reason) {
    subscriptions.disable(s.id(), reason, clock.instant());
    audit.record(s.tenantId(), "relay", "subscription.disabled", s.id(), "DISABLED", reason);
    LOG.warn("subscription {} disabled: {}", s.id(), reason);
  }

  /** Stops after the POST in progress (bounded by the callback timeout); positions stay in the store. */
  @Override
  public void close() {
    loop.stop();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    try {
      if (!loop.awaitStopped(Duration.ofSeconds(15))) {
        LOG.warn("a subscription event was still being sent at stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
