package io.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Protocol;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Print the tenant's audit log (admin actions, enrollments, key changes, every job), oldest first.")
final class AdminAuditCommand implements Callable<Integer> {

  /** Events the relay hands out per request; the command follows nextLink until --limit. */
  private static final int PAGE = 500;

  @Spec CommandSpec spec;
  @Mixin AdminConnection connection;

  @Option(names = "--since", paramLabel = "AGE|INSTANT",
      description = "Only events from then on: an age such as 30m, 1h, 7d, or an instant such as 2027-01-31T00:00:00Z.")
  String since;

  @Option(names = "--action", paramLabel = "ACTION",
      description = "Only this action, such as job.ended, admin.key.create or agent.enroll.")
  String action;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
      description = "Print at most N events (default ${DEFAULT-VALUE}).")
  int limit;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    if (limit < 1) {
      throw new UserFacingException(ExitCode.USAGE, "--limit must be at least 1, was " + limit);
    }
    StringBuilder query = new StringBuilder("/admin/v1/audit?limit=").append(Math.min(PAGE, limit));
    if (since != null) {
      query.append("&since=").append(URLEncoder.encode(sinceInstant(since).toString(), StandardCharsets.UTF_8));
    }
    if (action != null) {
      query.append("&action=").append(URLEncoder.encode(action, StandardCharsets.UTF_8));
    }
    ArrayNode events = Protocol.json().createArrayNode();
    String next = query.toString();
    while (next != null && events.size() < limit) {
      JsonNode page = connection.client().get(next);
      for (JsonNode e : page.path("events")) {
        if (events.size() < limit) {
          events.add(e);
        }
      }
      next = page.hasNonNull("nextLink") ? pathOf(page.get("nextLink").asText()) : null;
    }
    if (connection.output == AdminConnection.Output.json) {
      ObjectNode all = Protocol.json().createObjectNode();
      all.set("events", events);
      AdminOutput.json(spec.commandLine().getOut(), all);
    } else {
      AdminOutput.table(spec.commandLine().getOut(), events, "at", "actor", "action", "subject", "outcome", "detail");
    }
    return ExitCode.OK;
  }

  /** {@code 30m}, {@code 1h}, {@code 7d} before now, or an RFC 3339 instant. */
  Instant sinceInstant(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.matches("\\d+[smhd]")) {
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        Duration age = switch (v.charAt(v.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
        return clock.instant().minus(age);
      }
      return Instant.parse(value.trim());
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      throw new UserFacingException(ExitCode.USAGE,
          "--since must be an age such as 30m, 1h or 7d, or an instant such as 2027-01-31T00:00:00Z, was " + value);
    }
  }

  /** The relay's absolute nextLink as a path for the client, which talks to the configured relay. */
  private static String pathOf(String link) {
    URI uri = URI.create(link);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }
}
