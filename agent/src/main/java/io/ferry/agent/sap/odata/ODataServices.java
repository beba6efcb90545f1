package io.ferry.agent.sap.odata;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The OData services engines may reach generically ({@code odata.read}, {@code odata.write}), each by the agent's
 * name for it, all logging on as {@code sap.odata.*} says:
 *
 * <pre>
 * sap.odata.services.API_BUSINESS_PARTNER.url=https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER
 * sap.odata.services.API_SALES_ORDER_SRV.url=https://s4.example.local/sap/opu/odata/sap/API_SALES_ORDER_SRV
 * sap.odata.user=FERRY_ODATA   (and the password, sap.odata.client, the client certificate, the timeouts)
 * </pre>
 *
 * <p>The names travel to the relay; the URLs never do. On an agent whose backend is {@code odata} the services
 * share that backend's logon; on a {@code bapi} agent {@code sap.odata.user}, its password, {@code sap.odata.client}
 * and the certificate and timeout settings are read for the services alone, and {@code sap.odata.service-url} is not
 * needed; {@code FERRY_SAP_PASSWORD} stays the JCo user's there, so the OData user's password is
 * {@code sap.odata.password} (written as {@code ${secret:…}} or {@code ${env:…}}).
 *
 * @param urls each service's root, without a trailing slash, by name (sorted)
 * @param logon the logon the services share: {@link ODataSettings} whose own service URL is not used; null when no
 *     service is configured
 */
public record ODataServices(Map<String, URI> urls, ODataSettings logon) {

  /** The family of keys (without {@code sap.}): {@code odata.services.<name>.url}. */
  public static final String PREFIX = "odata.services.";
  /** The one key each service has, after its name. */
  public static final String URL_KEY = "url";
  /** No service: generic OData requests are refused. */
  public static final ODataServices NONE = new ODataServices(Map.of(), null);

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

  public ODataServices {
    urls = Collections.unmodifiableMap(new TreeMap<>(urls));
    if (!urls.isEmpty() && logon == null) {
      throw new IllegalArgumentException("OData services need a logon");
    }
  }

  public boolean isEmpty() {
    return urls.isEmpty();
  }

  public Set<String> names() {
    return urls.keySet();
  }

  /** The settings of one service: its URL with the shared logon, client and timeouts. */
  ODataSettings settings(String name) {
    return logon.forService(urls.get(name));
  }

  /**
   * Reads the {@code sap.odata.services.<name>.url} keys of the {@code sap.} section (keys without {@code sap.}).
   *
   * @param backendLogon the OData backend's settings when {@code sap.backend=odata} (the services share them), or
   *     null: the logon is then read from {@code sap.odata.*} for the services alone
   * @throws IllegalArgumentException naming each wrong setting and its fix
   */
  public static ODataServices fromSection(Map<String, String> section, Function<String, String> env,
      ODataSettings backendLogon) {
    List<String> problems = new ArrayList<>();
    Map<String, URI> urls = new LinkedHashMap<>();
    for (var e : new TreeMap<>(section).entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(PREFIX)) {
        continue;
      }
      String rest = key.substring(PREFIX.length());
      int dot = rest.lastIndexOf('.');
      String name = dot < 0 ? rest : rest.substring(0, dot);
      String field = dot < 0 ? "" : rest.substring(dot + 1);
      if (!URL_KEY.equals(field) || !NAME.matcher(name).matches()) {
        problems.add("unknown setting sap." + key + ": a service is configured as sap." + PREFIX
            + "<name>.url, the name made of letters, digits and _ (such as API_BUSINESS_PARTNER)"
            + (NAME.matcher(name).matches() && !field.isEmpty() ? "; did you mean sap." + PREFIX + name + ".url?" : ""));
        continue;
      }
      URI url = url(name, e.getValue(), problems);
      if (url != null) {
        urls.put(name, url);
      }
    }
    if (urls.isEmpty()) {
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", problems));
      }
      return NONE;
    }
    ODataSettings logon = backendLogon;
    if (logon == null) {
      // A bapi agent: the sap.odata.* logon for the services alone, checked with a service's URL in place of
      // sap.odata.service-url, which such an agent does not need.
      Map<String, String> forServices = new HashMap<>(section);
      URI first = urls.values().iterator().next();
      forServices.put("odata.service-url", first.toString());
      // There FERRY_SAP_PASSWORD is the JCo user's: the OData user's password is sap.odata.password alone (which may
      // itself be ${env:…} or ${secret:…}), so that one variable never logs two users on.
      Function<String, String> notJcoPassword = name -> ODataSettings.PASSWORD_ENV.equals(name) ? null : env.apply(name);
      try {
        logon = ODataSettings.fromSection(forServices, notJcoPassword);
      } catch (IllegalArgumentException ex) {
        problems.add("sap.odata.services (" + String.join(", ", new TreeMap<>(urls).keySet())
            + ") log on as sap.odata.* says: " + ex.getMessage().replace("set the environment variable "
                + ODataSettings.PASSWORD_ENV + " (preferred) or sap.odata.password", "set sap.odata.password (on a bapi "
                + "agent " + ODataSettings.PASSWORD_ENV + " is the JCo user's; write sap.odata.password=${secret:…} or "
                + "${env:…})"));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return new ODataServices(urls, logon);
  }

  /**
   * Every service {@code policy.odata.resources} names is configured here.
   *
   * @throws IllegalArgumentException naming each missing one and the key that configures it
   */
  public void checkNamedServices(Set<String> namedByPolicy) {
    List<String> problems = new ArrayList<>();
    for (String service : new java.util.TreeSet<>(namedByPolicy)) {
      if (!urls.containsKey(service)) {
        problems.add("policy.odata.resources names service " + service + ", but sap.odata.services." + service
            + ".url is not set; set it to the service root (https://<host>/sap/opu/odata/sap/" + service
            + ") or remove the service from policy.odata.resources");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  private static URI url(String name, String raw, List<String> problems) {
    String key = "sap." + PREFIX + name + ".url";
    String example = "; for example https://s4.example.local/sap/opu/odata/sap/" + name;
    if (raw == null || raw.isBlank()) {
      problems.add(key + " is empty: set it to the service root" + example);
      return null;
    }
    URI url;
    try {
      url = new URI(raw.strip());
    } catch (URISyntaxException e) {
      problems.add(key + " is not a URL: '" + raw + "' (" + e.getReason() + ")" + example);
      return null;
    }
    if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null
        || url.getRawQuery() != null || url.getRawFragment() != null) {
      problems.add(key + " must be an http or https URL with a host and without query, was '" + raw + "'" + example
          + " (the client goes to sap.odata.client)");
      return null;
    }
    if (url.getUserInfo() != null) {
      problems.add(key + " must not contain credentials; set sap.odata.user and the password instead");
      return null;
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
    if (path.isEmpty()) {
      problems.add(key + " names no service, only a host: '" + raw + "'" + example);
      return null;
    }
    return URI.create(url.getScheme() + "://" + url.getRawAuthority() + path);
  }

  /** Safe to log: names and URLs, the logon's secrets masked. */
  @Override
  public String toString() {
    return "ODataServices" + urls;
  }
}
