package io.ferry.agent.sap.odata;

import io.ferry.protocol.Durations;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The settings of the OData backend ({@code sap.odata.*}), validated when built; messages name the
 * setting, the bad value and the fix.
 *
 * <pre>
 * sap.backend=odata
 * sap.odata.service-url=https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER
 * sap.odata.client=100
 * sap.odata.user=FERRY_ODATA
 * sap.odata.password=...                    (or the environment variable FERRY_SAP_PASSWORD)
 * sap.odata.client-certificate=/etc/ferry/sap-client.p12   (instead of, or with, user and password)
 * sap.odata.client-certificate-password=... (or the environment variable FERRY_SAP_CERT_PASSWORD)
 * sap.odata.grouping=BP02
 * sap.odata.external-id-property=SearchTerm1
 * sap.odata.update-method=MERGE
 * sap.odata.connect-timeout=10s
 * sap.odata.read-timeout=60s
 * </pre>
 *
 * @param serviceUrl the service root, without a trailing slash
 * @param client the SAP client sent as {@code sap-client}; null to use the logon client
 * @param user the SAP user for basic authentication; null when a client certificate logs on
 * @param password that user's password (secret)
 * @param clientCertificate a PKCS#12 key store with the client certificate and its key, for TLS
 *     client authentication; null for none
 * @param clientCertificatePassword the key store's password (secret)
 * @param grouping the business partner grouping of new customers ({@code BusinessPartnerGrouping}); null
 *     to let SAP apply its default
 * @param externalIdProperty the {@code A_BusinessPartner} property that holds the caller's external id
 * @param updateMethod how changes are sent
 */
public record ODataSettings(
    URI serviceUrl,
    String client,
    String user,
    String password,
    Path clientCertificate,
    String clientCertificatePassword,
    String grouping,
    String externalIdProperty,
    UpdateMethod updateMethod,
    Duration connectTimeout,
    Duration readTimeout) {

  /** {@code MERGE} (SAP Gateway's classic verb) or {@code PATCH}; both change only the properties sent. */
  public enum UpdateMethod { MERGE, PATCH }

  public static final String PASSWORD_ENV = "FERRY_SAP_PASSWORD";
  /** The keys {@link #fromSection} reads, as in the {@code sap.} section (without {@code sap.}). */
  public static final List<String> KEYS = List.of("odata.service-url", "odata.client", "odata.user", "odata.password",
      "odata.client-certificate", "odata.client-certificate-password", "odata.grouping", "odata.external-id-property",
      "odata.update-method", "odata.connect-timeout", "odata.read-timeout");
  public static final String CERT_PASSWORD_ENV = "FERRY_SAP_CERT_PASSWORD";
  public static final String DEFAULT_EXTERNAL_ID_PROPERTY = "SearchTerm1";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

  private static final Pattern CLIENT = Pattern.compile("\\d{3}");
  private static final Pattern GROUPING = Pattern.compile("[A-Za-z0-9]{1,4}");
  private static final Pattern PROPERTY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,39}");

  public ODataSettings {
    List<String> problems = new ArrayList<>();
    if (serviceUrl == null) {
      problems.add("sap.odata.service-url is required: the service root of API_BUSINESS_PARTNER, for example "
          + "https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER");
    } else if (!("http".equals(serviceUrl.getScheme()) || "https".equals(serviceUrl.getScheme()))
        || serviceUrl.getHost() == null || serviceUrl.getRawQuery() != null || serviceUrl.getRawFragment() != null) {
      problems.add("sap.odata.service-url must be an http or https URL with a host and without query, was '" + serviceUrl
          + "'; for example https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER (the client goes to sap.odata.client)");
    } else if (serviceUrl.getUserInfo() != null) {
      problems.add("sap.odata.service-url must not contain credentials; set sap.odata.user and the password instead");
    } else {
      String s = serviceUrl.toString();
      while (s.endsWith("/")) {
        s = s.substring(0, s.length() - 1);
      }
      serviceUrl = URI.create(s);
    }
    if (client != null && !CLIENT.matcher(client).matches()) {
      problems.add("sap.odata.client must be the three-digit SAP client such as 100, was '" + client + "'");
    }
    boolean hasUser = user != null && !user.isBlank();
    boolean hasPassword = password != null && !password.isEmpty();
    if (hasUser && !hasPassword) {
      problems.add("the SAP password of sap.odata.user is missing: set the environment variable " + PASSWORD_ENV
          + " (preferred) or sap.odata.password");
    }
    if (!hasUser && hasPassword) {
      problems.add("a password is set but sap.odata.user is not: name the SAP user");
    }
    if (!hasUser && clientCertificate == null) {
      problems.add("no way to log on to SAP: set sap.odata.user with its password, or sap.odata.client-certificate "
          + "(a PKCS#12 key store) for TLS client authentication");
    }
    if (clientCertificate != null) {
      if (!Files.isReadable(clientCertificate)) {
        problems.add("sap.odata.client-certificate names no readable file: '" + clientCertificate + "'");
      }
      if (clientCertificatePassword == null) {
        problems.add("the password of sap.odata.client-certificate is missing: set the environment variable "
            + CERT_PASSWORD_ENV + " (preferred) or sap.odata.client-certificate-password");
      }
      if (serviceUrl != null && !"https".equals(serviceUrl.getScheme())) {
        problems.add("sap.odata.client-certificate needs an https sap.odata.service-url, was '" + serviceUrl + "'");
      }
    }
    if (grouping != null && !GROUPING.matcher(grouping).matches()) {
      problems.add("sap.odata.grouping must be a business partner grouping of up to four letters or digits "
          + "such as BP02 (see your system's grouping configuration), was '" + grouping + "'");
    }
    if (externalIdProperty == null) {
      externalIdProperty = DEFAULT_EXTERNAL_ID_PROPERTY;
    } else if (!PROPERTY.matcher(externalIdProperty).matches()) {
      problems.add("sap.odata.external-id-property must name a property of A_BusinessPartner such as SearchTerm1, "
          + "SearchTerm2 or BusinessPartnerIDByExtSystem, was '" + externalIdProperty + "'");
    }
    if (updateMethod == null) {
      updateMethod = UpdateMethod.MERGE;
    }
    connectTimeout = between(problems, "sap.odata.connect-timeout", connectTimeout, DEFAULT_CONNECT_TIMEOUT,
        Duration.ofMillis(100), Duration.ofMinutes(2));
    readTimeout = between(problems, "sap.odata.read-timeout", readTimeout, DEFAULT_READ_TIMEOUT,
        Duration.ofMillis(100), Duration.ofMinutes(10));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** Basic authentication with the defaults for everything else. */
  public static ODataSettings basic(URI serviceUrl, String client, String user, String password) {
    return new ODataSettings(serviceUrl, client, user, password, null, null, null, null, null, null, null);
  }

  /**
   * The root of {@code API_SALES_ORDER_SRV} on the same Gateway: the business-partner service's sibling
   * ({@code …/sap/opu/odata/sap/API_SALES_ORDER_SRV}), which is where SAP publishes it.
   */
  public URI salesOrderServiceUrl() {
    String url = serviceUrl.toString().replaceAll("/+$", "");
    return URI.create(url.substring(0, url.lastIndexOf('/') + 1) + "API_SALES_ORDER_SRV");
  }

  /** These settings for another service on the same Gateway (same logon, client and timeouts). */
  ODataSettings forService(URI otherServiceUrl) {
    return new ODataSettings(otherServiceUrl, client, user, password, clientCertificate, clientCertificatePassword,
        grouping, externalIdProperty, updateMethod, connectTimeout, readTimeout);
  }

  public ODataSettings withGrouping(String g) {
    return new ODataSettings(serviceUrl, client, user, password, clientCertificate, clientCertificatePassword, g,
        externalIdProperty, updateMethod, connectTimeout, readTimeout);
  }

  public ODataSettings withUpdateMethod(UpdateMethod m) {
    return new ODataSettings(serviceUrl, client, user, password, clientCertificate, clientCertificatePassword, grouping,
        externalIdProperty, m, connectTimeout, readTimeout);
  }

  public ODataSettings withTimeouts(Duration connect, Duration read) {
    return new ODataSettings(serviceUrl, client, user, password, clientCertificate, clientCertificatePassword, grouping,
        externalIdProperty, updateMethod, connect, read);
  }

  public ODataSettings withPassword(String pw) {
    return new ODataSettings(serviceUrl, client, user, pw, clientCertificate, clientCertificatePassword, grouping,
        externalIdProperty, updateMethod, connectTimeout, readTimeout);
  }

  /**
   * Reads the {@code sap.} section of the configuration (keys without the {@code sap.} prefix, so
   * {@code odata.service-url}); the passwords may come from the environment instead of the file, and
   * the environment wins.
   */
  public static ODataSettings fromSection(Map<String, String> section, Function<String, String> env) {
    List<String> problems = new ArrayList<>();
    URI url = null;
    String rawUrl = blankToNull(section.get("odata.service-url"));
    if (rawUrl != null) {
      try {
        url = new URI(rawUrl.strip());
      } catch (java.net.URISyntaxException e) {
        problems.add("sap.odata.service-url is not a URL: '" + rawUrl + "' (" + e.getReason() + ")");
      }
    }
    UpdateMethod method = null;
    String rawMethod = blankToNull(section.get("odata.update-method"));
    if (rawMethod != null) {
      try {
        method = UpdateMethod.valueOf(rawMethod.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add("sap.odata.update-method must be MERGE or PATCH, was '" + rawMethod + "'");
      }
    }
    Duration connect = duration(problems, "sap.odata.connect-timeout", section.get("odata.connect-timeout"));
    Duration read = duration(problems, "sap.odata.read-timeout", section.get("odata.read-timeout"));
    String certificate = blankToNull(section.get("odata.client-certificate"));
    String user = blankToNull(section.get("odata.user"));
    // The environment's password is for the user; without one it is not an error on its own.
    String password = user == null ? blankToNull(section.get("odata.password"))
        : firstNonEmpty(env.apply(PASSWORD_ENV), section.get("odata.password"));
    String certPassword = firstNonEmpty(env.apply(CERT_PASSWORD_ENV), section.get("odata.client-certificate-password"));
    ODataSettings settings = null;
    try {
      settings = new ODataSettings(url, blankToNull(section.get("odata.client")), user, password,
          certificate == null ? null : Path.of(certificate), certPassword, blankToNull(section.get("odata.grouping")),
          blankToNull(section.get("odata.external-id-property")), method, connect, read);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return settings;
  }

  /** Safe to log: both passwords are masked. */
  @Override
  public String toString() {
    return "ODataSettings[serviceUrl=" + serviceUrl + ", client=" + client + ", user=" + user
        + ", password=" + mask(password) + ", clientCertificate=" + clientCertificate
        + ", clientCertificatePassword=" + mask(clientCertificatePassword) + ", grouping=" + grouping
        + ", externalIdProperty=" + externalIdProperty + ", updateMethod=" + updateMethod
        + ", connectTimeout=" + text(connectTimeout) + ", readTimeout=" + text(readTimeout) + "]";
  }

  private static String mask(String secret) {
    return secret == null ? "null" : "****";
  }

  private static Duration between(List<String> problems, String name, Duration value, Duration dflt, Duration min,
      Duration max) {
    Duration d = value == null ? dflt : value;
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      problems.add(name + " must be between " + text(min) + " and " + text(max) + ", was " + text(d));
    }
    return d;
  }

  private static String text(Duration d) {
    return Durations.format(d);
  }

  /** The one parser of every duration setting ({@link Durations}); a bad value becomes one of the problems. */
  private static Duration duration(List<String> problems, String name, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Durations.parse(name, text);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return null;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static String firstNonEmpty(String a, String b) {
    return a != null && !a.isEmpty() ? a : b != null && !b.isEmpty() ? b : null;
  }
}
