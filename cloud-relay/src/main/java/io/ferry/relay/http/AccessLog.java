package io.ferry.relay.http;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One line per answered request on the logger {@value #LOGGER}, which an operator routes or silences on
 * its own ({@code <logger name="io.ferry.relay.access" level="WARN"/>}):
 *
 * <pre>POST /v1/customers/{customerNumber} 401 3 ms tenant=- code=FERRY-RELAY-0202</pre>
 *
 * <p>Method, the route template (never the raw path, which holds customer numbers and job ids, nor the
 * query), status, duration, the tenant once its key or agent was checked, the agent on agent routes, and the
 * problem code of a problem answer — so a refusal (400, 401, 413, 415, 422, 429) is found with its reason. The
 * request id, trace and span are in the MDC, as on every other line of the request. No header is read: an API
 * key or an {@code Authorization} value cannot get in. In the JSON format the same values are also key-value
 * pairs of the event. Probes and scrapes ({@code /healthz}, {@code /readyz}, {@code /metrics}) that succeed
 * are DEBUG, so a load balancer's checks every few seconds do not bury the traffic; everything else is INFO.
 *
 * <p>Cheap on purpose: two attributes, one clock read at each end, and nothing built when the level is off.
 */
final class AccessLog {

  static final String LOGGER = "io.ferry.relay.access";
  /** Set by {@link Answer#send} when the answer is a problem. */
  static final String PROBLEM_CODE = "ferry.access.problemCode";
  private static final String STARTED = "ferry.access.started";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final Set<String> PROBES = Set.of(HealthHandlers.HEALTHZ, HealthHandlers.READYZ,
      HealthHandlers.METRICS);

  private AccessLog() {}

  /** Before the other handlers, so the duration covers them and the line is written while the MDC holds the request. */
  static void register(JavalinDefaultRoutingApi r) {
    r.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
    r.after(AccessLog::log);
  }

  static void log(Context ctx) {
    String route = Routes.routeOf(ctx);
    int status = ctx.statusCode();
    Level level = status < 400 && PROBES.contains(route) ? Level.DEBUG : Level.INFO;
    if (!LOG.isEnabledForLevel(level)) {
      return;
    }
    Long started = ctx.attribute(STARTED);
    long ms = started == null ? -1 : (System.nanoTime() - started) / 1_000_000;
    String method = ctx.method().name();
    String tenant = orDash(Guard.tenantOrNull(ctx));
    String agent = Guard.agentOrNull(ctx);
    String code = ctx.attribute(PROBLEM_CODE);
    StringBuilder extra = new StringBuilder(48);
    if (agent != null) {
      extra.append(" agent=").append(agent);
    }
    if (code != null) {
      extra.append(" code=").append(code);
    }
    // A held answer is completed on another request's thread: the line carries this request's ids all the same.
    try (var mdc = RequestIds.mdc(ctx)) {
      LoggingEventBuilder line = LOG.atLevel(level)
          .setMessage("{} {} {} {} ms tenant={}{}")
          .addArgument(method).addArgument(route).addArgument(status).addArgument(ms).addArgument(tenant)
          .addArgument(extra)
          .addKeyValue("method", method).addKeyValue("route", route).addKeyValue("status", status)
          .addKeyValue("duration_ms", ms).addKeyValue("tenant", tenant);
      if (agent != null) {
        line.addKeyValue("agent", agent);
      }
      if (code != null) {
        line.addKeyValue("code", code);
      }
      line.log();
    }
  }

  private static String orDash(String value) {
    return value != null ? value : "-";
  }
}
