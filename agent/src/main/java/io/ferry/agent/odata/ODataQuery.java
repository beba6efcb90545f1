package io.ferry.agent.odata;

import io.ferry.agent.handler.JobRefused;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query of a generic OData request: OData's system query options for reading and paging, nothing else — a
 * custom parameter or {@code sap-client} could change what the agent's configuration fixes. {@code $format} may only
 * ask for JSON, which the agent sends anyway.
 */
final class ODataQuery {

  static final Set<String> OPTIONS = Set.of("$filter", "$select", "$expand", "$top", "$skip", "$orderby",
      "$inlinecount", "$skiptoken");

  private ODataQuery() {}

  /** The options as name and encoded value, in the engine's order; {@code $format=json} is dropped. */
  static List<Map.Entry<String, String>> parse(String query) throws JobRefused {
    List<Map.Entry<String, String>> options = new ArrayList<>();
    if (query == null || query.isBlank()) {
      return options;
    }
    String q = query.strip();
    if (q.startsWith("?")) {
      q = q.substring(1);
    }
    for (String pair : q.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      String[] nv = pair.split("=", 2);
      String name;
      try {
        name = URLDecoder.decode(nv[0], StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw JobRefused.invalid("the OData query option '" + nv[0] + "' is not URL-encoded correctly");
      }
      String value = nv.length > 1 ? nv[1] : "";
      if (name.equals("$format")) {
        if (!URLDecoder.decode(value, StandardCharsets.UTF_8).equalsIgnoreCase("json")) {
          throw JobRefused.invalid("the OData query option $format=" + value + " is not supported: the agent always "
              + "asks SAP for JSON");
        }
        continue;
      }
      if (!OPTIONS.contains(name)) {
        throw JobRefused.invalid("the OData query option '" + name + "' is not allowed; allowed are "
            + String.join(" ", new java.util.TreeSet<>(OPTIONS)));
      }
      if (value.isEmpty()) {
        throw JobRefused.invalid("the OData query option " + name + " has no value");
      }
      options.add(Map.entry(name, value));
    }
    return options;
  }
}
