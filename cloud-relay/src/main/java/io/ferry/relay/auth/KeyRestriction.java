package io.ferry.relay.auth;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an API key may reach generically, beyond its scopes: a list of function modules and a list of OData services
 * (the agent's names for them). A list that is absent leaves that kind unrestricted (the scopes and the agent's
 * allowlist decide); the agent's allowlist is never widened by it. Stored space-separated, as scopes are.
 *
 * @param functions upper-case function module names, or null: any function the agent allows
 * @param odataServices service names as the agent names them, or null: any service the agent allows
 */
public record KeyRestriction(Set<String> functions, Set<String> odataServices) {

  /** A function module's name as SAP writes it (namespaces included: {@code /BAPI/X}). */
  public static final Pattern FUNCTION = Pattern.compile("[A-Z0-9_/]{1,30}");
  /** An OData service as the agent names it ({@code sap.odata.services.<name>.url}). */
  public static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

  /** No restriction: what every key made before restrictions existed has. */
  public static final KeyRestriction NONE = new KeyRestriction(null, null);

  public KeyRestriction {
    functions = functions == null ? null : Set.copyOf(new TreeSet<>(functions));
    odataServices = odataServices == null ? null : Set.copyOf(new TreeSet<>(odataServices));
  }

  /** Whether the key may call (or describe) {@code function}, upper-case. */
  public boolean allowsFunction(String function) {
    return functions == null || functions.contains(function);
  }

  /** Whether the key may reach {@code service}; service names compare case-sensitively, as the agent's do. */
  public boolean allowsService(String service) {
    return odataServices == null || odataServices.contains(service);
  }

  /** From the store's columns (null: unrestricted). */
  public static KeyRestriction fromColumns(String functions, String odataServices) {
    return new KeyRestriction(split(functions), split(odataServices));
  }

  /** The store's column of {@code names}: space-separated in order, null for no restriction. */
  public static String column(Set<String> names) {
    return names == null ? null : new TreeSet<>(names).stream().collect(Collectors.joining(" "));
  }

  private static Set<String> split(String column) {
    if (column == null) {
      return null;
    }
    return Arrays.stream(column.strip().split("\\s+")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }

  /**
   * The function names of an admin's request, upper-cased as SAP writes them; a message naming the first name
   * that is none when there is one.
   */
  public static Optional<String> invalidFunction(Collection<String> names) {
    return names.stream().filter(n -> n == null || !FUNCTION.matcher(n.strip().toUpperCase(Locale.ROOT)).matches())
        .findFirst().map(n -> "'" + n + "' is not a function module name (1 to 30 of A-Z 0-9 _ /)");
  }

  /** As {@link #invalidFunction}, for OData service names. */
  public static Optional<String> invalidService(Collection<String> names) {
    return names.stream().filter(n -> n == null || !SERVICE.matcher(n.strip()).matches())
        .findFirst().map(n -> "'" + n + "' is not an OData service name (1 to 64 letters, digits, '_', '.', '-')");
  }
}
