package io.ferry.cli.settings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings one role reads: its namespaces ({@code agent.}, {@code sap.}, …), the keys in them, and the
 * open families whose last part is free ({@code sap.jco.jco.client.*}: SAP's own JCo property names). A key
 * in one of the role's namespaces that is none of these is a typing error: {@link Settings#load(java.nio.file.Path,
 * Keys)} stops the start with its name, where it came from and the nearest valid key, rather than leave the
 * default silently in force. Keys of other namespaces (another role's, in a file two roles share) are not the
 * role's business and are left alone.
 *
 * @param role the role's name for messages ({@code agent})
 * @param namespaces the first parts the role owns, each ending in a dot ({@code agent.})
 * @param keys the exact keys
 * @param families prefixes after which any name is valid, each ending in a dot ({@code sap.reference-customer.})
 * @param alsoRead environment variables under a namespace's {@code FERRY_…_} prefix that the role (or its
 *     launcher) reads but that are not a key's variable ({@code FERRY_SAP_PASSWORD}, {@code FERRY_AGENT_JAVA_OPTS})
 */
public record Keys(String role, List<String> namespaces, Set<String> keys, List<String> families, Set<String> alsoRead) {

  public Keys {
    namespaces = List.copyOf(namespaces);
    keys = Set.copyOf(keys);
    families = List.copyOf(families);
    alsoRead = Set.copyOf(alsoRead);
    for (String k : keys) {
      if (!inNamespace(namespaces, k)) {
        throw new IllegalArgumentException(k + " is outside the namespaces " + namespaces + " of " + role);
      }
    }
  }

  public static Keys of(String role, List<String> namespaces, Collection<String> keys, List<String> families,
      Collection<String> alsoRead) {
    return new Keys(role, namespaces, new TreeSet<>(keys), families, new TreeSet<>(alsoRead));
  }

  /** Whether {@code key} is in one of the role's namespaces, so that the role must know it. */
  public boolean owns(String key) {
    return inNamespace(namespaces, key);
  }

  /** Whether {@code key} is one of the role's keys or in one of its families. */
  public boolean known(String key) {
    return keys.contains(key) || families.stream().anyMatch(f -> key.startsWith(f) && key.length() > f.length());
  }

  /** Whether the environment variable {@code name} belongs to one of the role's namespaces. */
  boolean ownsVariable(String name) {
    return namespaces.stream().anyMatch(ns -> name.startsWith(Settings.envName(ns.substring(0, ns.length() - 1)) + "_"));
  }

  /**
   * Whether {@code name} is the variable of a key or one the role reads besides. A family member has none: its
   * free last part ({@code jco.destination.pool_capacity}) cannot be told back from {@code FERRY_…_POOL_CAPACITY}.
   */
  boolean knownVariable(String name) {
    return alsoRead.contains(name) || keys.stream().anyMatch(k -> Settings.envName(k).equals(name));
  }

  /** The valid key closest to {@code key} in spelling, if one is close enough to be what was meant. */
  public Optional<String> nearest(String key) {
    List<String> candidates = new ArrayList<>(keys);
    String[] parts = key.split("\\.");
    for (String family : families) {
      // A family member is the family plus whatever came after the part that was mistyped.
      for (int i = 1; i < parts.length; i++) {
        candidates.add(family + String.join(".", Arrays.copyOfRange(parts, i, parts.length)));
      }
    }
    int prefix = namespaces.stream().filter(key::startsWith).mapToInt(String::length).max().orElse(0);
    return closest(key, prefix, candidates, s -> s);
  }

  /** The variable of a valid key closest to {@code name}, with its key: {@code FERRY_AGENT_WORKERS (agent.workers)}. */
  Optional<String> nearestVariable(String name) {
    List<String> candidates = new ArrayList<>(keys);
    candidates.addAll(alsoRead);
    int prefix = namespaces.stream().map(ns -> Settings.envName(ns.substring(0, ns.length() - 1)) + "_")
        .filter(name::startsWith).mapToInt(String::length).max().orElse(0);
    return closest(name, prefix, candidates, c -> c.startsWith("FERRY_") ? c : Settings.envName(c))
        .map(c -> c.startsWith("FERRY_") ? c : Settings.envName(c) + " (" + c + ")");
  }

  private record Match(String candidate, int distance) {}

  /** @param prefix how much of {@code wrong} is its namespace, which says nothing about what was meant */
  private static Optional<String> closest(String wrong, int prefix, List<String> candidates,
      java.util.function.Function<String, String> spelling) {
    String w = wrong.toLowerCase(Locale.ROOT);
    // Close enough to be a slip of the keyboard: a third of the name after its namespace, at least two edits.
    int enough = Math.max(2, (w.length() - prefix) / 3);
    return candidates.stream()
        .map(c -> new Match(c, distance(w, spelling.apply(c).toLowerCase(Locale.ROOT))))
        .filter(m -> m.distance() <= enough)
        .min(Comparator.comparingInt(Match::distance).thenComparing(Match::candidate))
        .map(Match::candidate);
  }

  private static boolean inNamespace(List<String> namespaces, String key) {
    return namespaces.stream().anyMatch(key::startsWith);
  }

  /** Levenshtein distance, with a swap of two neighbours counting as one edit (optimal string alignment). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
