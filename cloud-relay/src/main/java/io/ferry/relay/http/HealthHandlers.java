package io.ferry.relay.http;

import io.ferry.relay.metrics.RelayMetrics;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /healthz}, {@code /readyz} and {@code /metrics}: for the operator's probes and Prometheus, not
 * for engines, so none needs an API key. Health answers carry no tenant data. The metrics carry no tenant
 * data either, but they show the whole relay's volume, so they are served to loopback callers, and to
 * others only with the relay's own metrics token (relay.metrics.token), never with a tenant's key.
 */
final class HealthHandlers {

  static final String HEALTHZ = "/healthz";
  static final String READYZ = "/readyz";
  static final String METRICS = "/metrics";
  /** Prometheus' text format, version 0.0.4: what every scraper reads. */
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  /** Probes come every few seconds from several places; the store is asked at most this often. */
  private static final Duration READINESS_CACHE = Duration.ofSeconds(1);

  private final RelayMetrics metrics;
  private final Supplier<String> notReady;
  private final String metricsToken;
  private final Clock clock;
  private volatile Instant checkedAt = Instant.MIN;
  private volatile String lastCause;

  /**
   * @param notReady why the relay is not ready now (store unreachable, schema incomplete, shutting down),
   *     or null when it is
   * @param metricsToken relay.metrics.token; null serves the metrics to loopback callers only
   */
  HealthHandlers(RelayMetrics metrics, Supplier<String> notReady, String metricsToken, Clock clock) {
    this.metrics = metrics;
    this.notReady = notReady;
    this.metricsToken = metricsToken;
    this.clock = clock;
  }

  /** Liveness: the process answers HTTP. Nothing else is checked, so a slow store never gets the relay killed. */
  void healthz(Context ctx) {
    Answer.json(200, Map.of("status", "UP")).send(ctx);
  }

  /** Readiness: 200 when engines and agents can be served, else 503 naming the cause. */
  void readyz(Context ctx) {
    String cause = readiness();
    if (cause == null) {
      Answer.json(200, Map.of("status", "READY")).send(ctx);
      return;
    }
    throw new ProblemException(ProblemType.NOT_READY, cause).header(Problems.RETRY_AFTER, "5");
  }

  private String readiness() {
    Instant now = clock.instant();
    if (now.isBefore(checkedAt.plus(READINESS_CACHE))) {
      return lastCause;
    }
    String cause = notReady.get();
    lastCause = cause;
    checkedAt = now;
    return cause;
  }

  void metrics(Context ctx) {
    if (!loopback(ctx)) {
      if (metricsToken == null) {
        throw new ProblemException(ProblemType.METRICS_LOOPBACK_ONLY, "the metrics are served to this machine only, "
            + "and this request came from elsewhere or through a proxy; set relay.metrics.token and scrape with "
            + "Authorization: Bearer <token>");
      }
      if (!tokenMatches(SingleHeaders.value(ctx, "Authorization"))) {
        throw new ProblemException(ProblemType.METRICS_TOKEN_REQUIRED, "send Authorization: Bearer <relay.metrics.token>")
            .header("WWW-Authenticate", "Bearer realm=\"ferry-metrics\"");
      }
    }
    ctx.status(200).contentType(PROMETHEUS_TEXT).result(metrics.scrape());
  }

  /**
   * A caller on this machine, not relayed by a proxy: a reverse proxy on the same host would otherwise
   * make every outside request look local.
   */
  private static boolean loopback(Context ctx) {
    if (ctx.header("Forwarded") != null || ctx.header("X-Forwarded-For") != null || ctx.header("X-Real-IP") != null) {
      return false;
    }
    try {
      return InetAddress.getByName(ctx.req().getRemoteAddr()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private boolean tokenMatches(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, metricsToken.getBytes(StandardCharsets.UTF_8));
  }
}
