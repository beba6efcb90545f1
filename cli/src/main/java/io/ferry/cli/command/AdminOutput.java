package io.ferry.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Protocol;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints admin answers: a table with aligned columns, or the relay's JSON as it came. */
final class AdminOutput {

  private AdminOutput() {}

  static void json(PrintWriter out, JsonNode value) {
    try {
      out.println(Protocol.json().writerWithDefaultPrettyPrinter().writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not print the answer", e);
    }
  }

  /**
   * The outcome of a command that changes one thing (revoke, disable): {@code text} for a person, or
   * with {@code --output json} the relay's answer, else {@code fallback} when the relay answered no body.
   */
  static void done(PrintWriter out, AdminConnection.Output output, JsonNode answer, java.util.Map<String, Object> fallback,
      String text) {
    if (output == AdminConnection.Output.json) {
      json(out, answer != null && answer.size() > 0 ? answer : Protocol.json().valueToTree(fallback));
    } else {
      out.println(text);
    }
  }

  /**
   * One row per element of {@code rows}; each column a field, arrays joined by a space (scopes read
   * {@code customers:read customers:write}, as everywhere else), times to the second in UTC, null as '-'.
   */
  static void table(PrintWriter out, JsonNode rows, String... fields) {
    List<String[]> lines = new ArrayList<>();
    String[] header = new String[fields.length];
    for (int i = 0; i < fields.length; i++) {
      header[i] = fields[i].toUpperCase(java.util.Locale.ROOT);
    }
    lines.add(header);
    for (JsonNode row : rows) {
      String[] line = new String[fields.length];
      for (int i = 0; i < fields.length; i++) {
        line[i] = cell(row.get(fields[i]));
      }
      lines.add(line);
    }
    int[] widths = new int[fields.length];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    for (String[] line : lines) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        b.append(i == line.length - 1 ? line[i] : String.format("%-" + widths[i] + "s  ", line[i]));
      }
      out.println(b.toString().stripTrailing());
    }
  }

  private static final java.util.regex.Pattern INSTANT =
      java.util.regex.Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

  /**
   * An instant as {@code 2026-12-07T01:08:15Z}: the relay's answers carry milliseconds from the store and
   * nanoseconds from what it heard just now, and a table of both was hard to read.
   */
  static String time(String text) {
    if (!INSTANT.matcher(text).matches()) {
      return text;
    }
    return java.time.Instant.parse(text).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  private static String cell(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "-";
    }
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(e -> parts.add(e.asText()));
      return String.join(" ", parts);
    }
    return time(v.asText());
  }
}
