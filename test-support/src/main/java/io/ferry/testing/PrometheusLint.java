package io.ferry.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of Prometheus' own linter ({@code promtool check metrics}) that a name can break, checked on a
 * scrape: counters end in {@code _total}; only histograms and summaries end in {@code _count}, {@code _sum} or
 * {@code _bucket}; no abbreviated unit ({@code _ns}, {@code _ms} …) and no non-base unit ({@code milliseconds}
 * …) in a name. What promtool said about the relay and the agent before: {@code process_cpu_time_ns_total} and
 * {@code system_cpu_count}.
 */
public final class PrometheusLint {

  private static final Pattern TYPE = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$");
  private static final Set<String> ABBREVIATIONS = Set.of("s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb",
      "pb", "m", "h", "d");
  private static final Set<String> NON_BASE_UNITS = Set.of("minutes", "hours", "days", "weeks", "milliseconds",
      "microseconds", "nanoseconds", "kilobytes", "megabytes", "gigabytes", "terabytes", "petabytes", "bits");

  private PrometheusLint() {}

  /** One sentence per broken rule, in promtool's words; empty when the scrape is clean. */
  public static List<String> problems(String exposition) {
    List<String> problems = new ArrayList<>();
    Matcher m = TYPE.matcher(exposition);
    while (m.find()) {
      String name = m.group(1);
      String type = m.group(2);
      if (type.equals("counter") && !name.endsWith("_total")) {
        problems.add(name + " counter metrics should have \"_total\" suffix");
      }
      if (!type.equals("histogram") && !type.equals("summary")
          && (name.endsWith("_count") || name.endsWith("_sum") || name.endsWith("_bucket"))) {
        problems.add(name + " non-histogram and non-summary metrics should not have \"_count\" suffix");
      }
      for (String part : name.split("_")) {
        if (ABBREVIATIONS.contains(part)) {
          problems.add(name + " metric names should not contain abbreviated units");
        }
        if (NON_BASE_UNITS.contains(part)) {
          problems.add(name + " use base unit instead of \"" + part + "\"");
        }
      }
    }
    return problems;
  }
}
