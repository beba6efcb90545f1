package io.ferry.sapsim;

import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.ext.DestinationDataProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a destination's properties tell the simulator beyond the logon: the mock-only
 * {@code jco.mock.*} settings (latency, faults, seed, data file, denied functions) and JCo's pool
 * settings. Read when the destination is built; a value that cannot be read is refused there with
 * group {@link JCoException#JCO_ERROR_DESTINATION_DATA_INVALID}, naming the property.
 */
record DestinationOptions(Duration latencyMin, Duration latencyMax, Map<Integer, Fault> faults, Long seed,
    Path dataFile, Set<String> denied, Set<String> missing, int poolCapacity, int peakLimit, long maxGetClientTimeMillis) {

  static final String LATENCY = "jco.mock.latency";
  static final String FAIL_PREFIX = "jco.mock.fail.";
  static final String SEED = "jco.mock.seed";
  static final String DATA_FILE = "jco.mock.data_file";
  static final String DENY = "jco.mock.deny";
  static final String MISSING = "jco.mock.missing";

  /** JCo's default wait for a free connection, in milliseconds (30 s as far as we know; unverified). */
  static final long DEFAULT_MAX_GET_CLIENT_TIME = 30_000;

  /** The groups a {@code jco.mock.fail.<group>} property may name. */
  static final Set<Integer> FAULT_GROUPS = Set.of(JCoException.JCO_ERROR_COMMUNICATION,
      JCoException.JCO_ERROR_LOGON_FAILURE, JCoException.JCO_ERROR_SYSTEM_FAILURE,
      JCoException.JCO_ERROR_RESOURCE, JCoException.JCO_ERROR_TIMEOUT);

  /** When a fault strikes: with a probability per remote action, or on every n-th one. */
  record Fault(double rate, int every) {

    boolean strikes(long action, java.util.Random random) {
      return every > 0 ? action % every == 0 : random.nextDouble() < rate;
    }

    @Override
    public String toString() {
      return every > 0 ? "every:" + every : String.valueOf(rate);
    }
  }

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s)?");

  static DestinationOptions of(String destination, Properties p) throws JCoException {
    Duration min = Duration.ZERO;
    Duration max = Duration.ZERO;
    String latency = p.getProperty(LATENCY, "").strip();
    if (!latency.isEmpty()) {
      String[] parts = latency.split("-", -1);
      if (parts.length > 2) {
        throw invalid(destination, LATENCY, latency, "a duration such as 50ms or a range such as 20ms-80ms");
      }
      min = duration(destination, LATENCY, latency, parts[0]);
      max = parts.length == 2 ? duration(destination, LATENCY, latency, parts[1]) : min;
      if (max.compareTo(min) < 0) {
        throw invalid(destination, LATENCY, latency, "a range whose lower end comes first");
      }
    }
    Map<Integer, Fault> faults = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      if (!key.startsWith(FAIL_PREFIX)) {
        continue;
      }
      String groupText = key.substring(FAIL_PREFIX.length());
      Integer group = groupText.matches("\\d{3}") ? Integer.valueOf(groupText) : null;
      if (group == null || !FAULT_GROUPS.contains(group)) {
        throw invalid(destination, key, p.getProperty(key), "a property jco.mock.fail.<group> for a group in "
            + new TreeSet<>(FAULT_GROUPS));
      }
      faults.put(group, fault(destination, key, p.getProperty(key).strip()));
    }
    Long seed = null;
    String seedText = p.getProperty(SEED, "").strip();
    if (!seedText.isEmpty()) {
      try {
        seed = Long.valueOf(seedText);
      } catch (NumberFormatException e) {
        throw invalid(destination, SEED, seedText, "a whole number");
      }
    }
    String file = p.getProperty(DATA_FILE, "").strip();
    Path dataFile = file.isEmpty() ? null : Path.of(file).toAbsolutePath().normalize();
    Set<String> denied = names(p.getProperty(DENY, ""));
    Set<String> missing = names(p.getProperty(MISSING, ""));
    int capacity = count(destination, p, DestinationDataProvider.JCO_POOL_CAPACITY, 1);
    int peak = count(destination, p, DestinationDataProvider.JCO_PEAK_LIMIT, 0);
    long maxGet = count(destination, p, DestinationDataProvider.JCO_MAX_GET_TIME, DEFAULT_MAX_GET_CLIENT_TIME);
    return new DestinationOptions(min, max, Collections.unmodifiableMap(faults), seed, dataFile,
        denied, missing, capacity, peak, maxGet);
  }

  private static Set<String> names(String commaSeparated) {
    Set<String> names = new TreeSet<>();
    for (String name : commaSeparated.split(",")) {
      if (!name.isBlank()) {
        names.add(name.strip().toUpperCase(Locale.ROOT));
      }
    }
    return Collections.unmodifiableSet(names);
  }

  private static Duration duration(String destination, String key, String whole, String text) throws JCoException {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw invalid(destination, key, whole, "a duration such as 50ms or 1s, or a range such as 20ms-80ms");
    }
    long n = Long.parseLong(m.group(1));
    return "s".equals(m.group(2)) ? Duration.ofSeconds(n) : Duration.ofMillis(n);
  }

  private static Fault fault(String destination, String key, String value) throws JCoException {
    try {
      if (value.startsWith("every:")) {
        int every = Integer.parseInt(value.substring("every:".length()).strip());
        if (every >= 1) {
          return new Fault(0, every);
        }
      } else {
        double rate = Double.parseDouble(value);
        if (rate >= 0 && rate <= 1) {
          return new Fault(rate, 0);
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(destination, key, value, "a probability from 0 to 1 (0.1) or every:N (every:5)");
  }

  private static int count(String destination, Properties p, String key, int fallback) throws JCoException {
    return (int) count(destination, p, key, (long) fallback);
  }

  private static long count(String destination, Properties p, String key, long fallback) throws JCoException {
    String text = p.getProperty(key, "").strip();
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(text);
      if (n >= 0 && n <= Integer.MAX_VALUE) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(destination, key, text, "a whole number of at least 0");
  }

  private static JCoException invalid(String destination, String key, String value, String expected) {
    return new JCoException(JCoException.JCO_ERROR_DESTINATION_DATA_INVALID, "JCO_ERROR_DESTINATION_DATA_INVALID",
        "Destination " + destination + " is invalid: " + key + " must be " + expected + ", was '" + value + "'");
  }
}
