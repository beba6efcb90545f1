package io.ferry.relay.callback;

import io.ferry.relay.auth.WebhookSecrets;
import io.ferry.relay.store.CallbackStore;
import io.ferry.relay.store.CallbackStore.Delivery;
import io.ferry.relay.store.CallbackStore.DeliveryOutcome;
import io.ferry.relay.store.Job;
import io.ferry.relay.store.JobStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.Dns;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts the outcome of ended jobs to their callback URLs, signed per Standard Webhooks with the webhook
 * secret of the API key that asked for the job. Deliveries come from the store, so they survive a
 * restart; a failed one is retried on {@link RetrySchedule}. One thread sends, woken when this relay
 * schedules a delivery (a job with a callback URL ended) and otherwise every second, for retries that
 * fall due and deliveries another relay or a stop left; each call is bounded by {@link #TIMEOUT}.
 */
public final class CallbackSender implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CallbackSender.class);
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration TICK = Duration.ofSeconds(1);
  private static final int BATCH = 20;
  private static final MediaType JSON = MediaType.get("application/json");

  private final CallbackStore deliveries;
  private final JobStore jobs;
  private final WebhookSecrets secrets;
  private final Function<Job, byte[]> bodies;
  private final Clock clock;
  private final OkHttpClient http;
  private final CallbackAddresses addresses;
  private final WakeableLoop loop = new WakeableLoop("ferry-callbacks", "callback delivery", TICK, this::runOnce);

  /**
   * @param bodies renders an ended job as the callback's JSON body
   * @param privateNetworks whether callbacks may reach private networks ({@link CallbackAddresses})
   * @param loopback whether callbacks may reach this machine ({@link CallbackAddresses})
   */
  public CallbackSender(CallbackStore deliveries, JobStore jobs, WebhookSecrets secrets, Function<Job, byte[]> bodies,
      Clock clock, boolean privateNetworks, boolean loopback) {
    this(deliveries, jobs, secrets, bodies, clock, new CallbackAddresses(Dns.SYSTEM, privateNetworks, loopback));
  }

  CallbackSender(CallbackStore deliveries, JobStore jobs, WebhookSecrets secrets, Function<Job, byte[]> bodies,
      Clock clock, CallbackAddresses addresses) {
    this.deliveries = deliveries;
    this.jobs = jobs;
    this.secrets = secrets;
    this.bodies = bodies;
    this.clock = clock;
    this.addresses = addresses;
    this.http = client(addresses);
  }

  /**
   * An HTTP client for webhooks under the callback rules: it connects only to addresses
   * relay.callback-private-networks and relay.callback-loopback allow, through no proxy, and never follows a
   * redirect. Webhook subscriptions post with it too.
   */
  public static OkHttpClient client(boolean privateNetworks, boolean loopback) {
    return client(new CallbackAddresses(Dns.SYSTEM, privateNetworks, loopback));
  }

  private static OkHttpClient client(CallbackAddresses addresses) {
    return new OkHttpClient.Builder()
        .dns(addresses)
        .proxy(java.net.Proxy.NO_PROXY) // a proxy would resolve the name itself, past the address check
        .connectTimeout(Duration.ofSeconds(5))
        .callTimeout(TIMEOUT)
        // Never follow a redirect: its target would be connected to without the check of CallbackUrls, and
        // the signed outcome could be led anywhere. A 3xx counts as a failed attempt.
        .followRedirects(false)
        .followSslRedirects(false)
        .retryOnConnectionFailure(false) // retries follow RetrySchedule, counted and stored
        .build();
  }

  /**
   * Starts the tick (every second: retries that fall due, deliveries left by a stop) and looks at once
   * whenever this relay's store schedules a delivery. A job without a callback costs the sender nothing.
   */
  public void start() {
    deliveries.onDeliveryScheduled(this::wake);
    loop.start();
  }

  /** A delivery was scheduled: look for due deliveries now rather than at the next tick. */
  public void wake() {
    loop.wake();
  }

  void runOnce() {
    List<Delivery> due = deliveries.dueDeliveries(clock.instant(), BATCH);
    for (Delivery d : due) {
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      deliver(d);
    }
  }

  private void deliver(Delivery d) {
    Optional<Job> found = jobs.find(d.tenantId(), d.jobId());
    int attempt = d.attempts() + 1;
    if (found.isEmpty() || found.get().callbackUrl() == null) {
      deliveries.recordAttempt(d.jobId(), attempt, clock.instant(), DeliveryOutcome.GAVE_UP, null, "the job is gone");
      return;
    }
    Job job = found.get();
    Optional<byte[]> key = job.apiKeyId() == null ? Optional.empty() : secrets.signingKey(job.apiKeyId());
    if (key.isEmpty()) {
      LOG.warn("callback for job {} not sent: its API key has no webhook secret", job.id());
      deliveries.recordAttempt(d.jobId(), attempt, clock.instant(), DeliveryOutcome.GAVE_UP, null,
          "the API key has no webhook secret");
      return;
    }
    // The URL again, under today's settings: the HTTP client connects to a literal address without asking
    // the resolver, and the operator may have narrowed relay.callback-loopback or -private-networks since.
    Optional<CallbackUrls.Problem> refused = CallbackUrls.problem(job.callbackUrl(), addresses.privateNetworks(),
        addresses.loopback());
    if (refused.isPresent()) {
      LOG.warn("callback for job {} not sent: the callback URL {}", job.id(), refused.get().message());
      deliveries.recordAttempt(d.jobId(), attempt, clock.instant(), DeliveryOutcome.GAVE_UP, null,
          "the callback URL " + refused.get().message());
      return;
    }
    byte[] body = bodies.apply(job);
    long timestamp = clock.instant().getEpochSecond();
    Request request;
    try {
      request = new Request.Builder().url(job.callbackUrl())
          .header("User-Agent", "ferry-relay")
          .header("webhook-id", job.id())
          .header("webhook-timestamp", Long.toString(timestamp))
          .header("webhook-signature", WebhookSignature.sign(key.get(), job.id(), timestamp, body))
          .post(RequestBody.create(body, JSON))
          .build();
    } catch (IllegalArgumentException e) {
      deliveries.recordAttempt(d.jobId(), attempt, clock.instant(), DeliveryOutcome.GAVE_UP, null,
          "the callback URL is not usable: " + e.getMessage());
      return;
    }
    if (Thread.currentThread().isInterrupted()) {
      return; // stopping: the attempt is not counted and the next start makes it
    }
    String error;
    try (Response response = http.newCall(request).execute()) {
      int status = response.code();
      if (status >= 200 && status < 300) {
        deliveries.recordAttempt(d.jobId(), attempt, clock.instant(), DeliveryOutcome.DELIVERED, null, null);
        LOG.info("callback for job {} delivered (attempt {}, HTTP {})", job.id(), attempt, status);
        return;
      }
      if (status == 410) {
        // Standard Webhooks: 410 Gone means the receiver wants no more; do not retry.
        deliveries.recordAttempt(d.jobId(), attempt, clock.instant(), DeliveryOutcome.GAVE_UP, null, "HTTP 410 Gone");
        LOG.info("callback for job {} refused with 410 Gone; not retried", job.id());
        return;
      }
      error = "HTTP " + status;
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) {
        return; // stopping: the attempt is not counted and the next start makes it
      }
      error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    Instant now = clock.instant();
    Optional<Duration> wait = RetrySchedule.after(attempt);
    if (wait.isPresent()) {
      deliveries.recordAttempt(d.jobId(), attempt, now, DeliveryOutcome.RETRY, now.plus(wait.get()), error);
      LOG.info("callback for job {} failed (attempt {}: {}); next attempt in {}s", job.id(), attempt, error,
          wait.get().toSeconds());
    } else {
      deliveries.recordAttempt(d.jobId(), attempt, now, DeliveryOutcome.GAVE_UP, null, error);
      LOG.warn("callback for job {} given up after {} attempts: {}", job.id(), attempt, error);
    }
  }

  /** Stops after the delivery in progress (bounded by {@link #TIMEOUT}); undelivered callbacks stay in the store. */
  @Override
  public void close() {
    loop.stop();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    try {
      if (!loop.awaitStopped(TIMEOUT.plusSeconds(1))) {
        LOG.warn("a callback was still being sent at stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
