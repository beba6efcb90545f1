package io.ferry.agent.sap.odata;

import io.ferry.agent.sap.SapDiagnosis;
import io.ferry.agent.sap.SapDiagnosis.Check;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.SapMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ferry agent test-sap} for the business-partner service: network (TCP connect) → logon (the service root
 * with a CSRF token fetch) → CSRF (a token came back) → service ({@code $metadata} names A_BusinessPartner) →
 * authorization (a read of A_BusinessPartner). Stops at the first failure: the later steps need the earlier ones.
 * Never throws.
 */
final class ODataDiagnosis {

  private static final String PARTNERS = ODataBackend.PARTNERS;

  private final ODataClient client;
  private final ODataSettings settings;

  ODataDiagnosis(ODataClient client, ODataSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  SapDiagnosis run(String name) {
    String target = client.url().build().toString();
    List<Check> checks = new ArrayList<>();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(client.host(), client.port()), (int) settings.connectTimeout().toMillis());
      checks.add(Check.passed("network"));
    } catch (IOException e) {
      checks.add(Check.failed("network", "cannot connect to " + client.host() + ":" + client.port() + ": " + e.getMessage(),
          "check sap.odata.service-url, DNS, firewalls and the proxy between the agent and SAP"));
      return new SapDiagnosis(name, target, checks);
    }
    try {
      ODataClient.Reply root = client.fetchCsrfToken();
      if (root.status() == 401) {
        checks.add(Check.failed("logon", "SAP refused the logon (HTTP 401)" + detail(root),
            "check user/password or certificate; locked user"));
        return new SapDiagnosis(name, target, checks);
      }
      checks.add(root.ok() || root.status() == 403 || root.status() == 404 ? Check.passed("logon")
          : Check.failed("logon", "the service root answered HTTP " + root.status() + detail(root),
              "check sap.odata.service-url and the SAP Gateway system's availability"));
      if (!root.ok()) {
        if (root.status() == 404) {
          checks.add(serviceMissing(root));
        } else if (root.status() == 403) {
          checks.add(unauthorized(root));
        }
        return new SapDiagnosis(name, target, checks);
      }
      String token = root.header("X-CSRF-Token");
      if (token == null || token.isBlank()) {
        checks.add(Check.failed("CSRF", "the token fetch answered no X-CSRF-Token header",
            "check that sap.odata.service-url is a SAP Gateway OData service and no proxy strips X-CSRF-Token or cookies"));
        return new SapDiagnosis(name, target, checks);
      }
      checks.add(Check.passed("CSRF"));
      ODataClient.Reply metadata = client.get(client.url("$metadata").build(), "application/xml");
      if (metadata.status() == 404) {
        checks.add(serviceMissing(metadata));
        return new SapDiagnosis(name, target, checks);
      }
      if (metadata.status() == 403) {
        checks.add(unauthorized(metadata));
        return new SapDiagnosis(name, target, checks);
      }
      if (!metadata.ok() || !metadata.body().contains("\"A_BusinessPartner\"")) {
        checks.add(Check.failed("service", metadata.ok()
                ? "$metadata of " + settings.serviceUrl() + " has no entity set A_BusinessPartner"
                : "$metadata answered HTTP " + metadata.status() + detail(metadata),
            "sap.odata.service-url must be the root of API_BUSINESS_PARTNER, ending in /sap/opu/odata/sap/API_BUSINESS_PARTNER"));
        return new SapDiagnosis(name, target, checks);
      }
      checks.add(Check.passed("service"));
      ODataClient.Reply read = client.get(client.url(PARTNERS).addQueryParameter("$top", "1")
          .addQueryParameter("$select", "BusinessPartner").build());
      if (read.status() == 403) {
        checks.add(unauthorized(read));
      } else if (!read.ok()) {
        checks.add(Check.failed("authorization", "reading A_BusinessPartner answered HTTP " + read.status() + detail(read),
            "ask the SAP basis team to check the Gateway error log (/IWFND/ERROR_LOG)"));
      } else {
        checks.add(Check.passed("authorization"));
      }
    } catch (SapException e) {
      checks.add(Check.failed("policy", e.getMessage(), "allow it in policy.odata.paths, or leave that setting at its default"));
    } catch (IOException e) {
      String step = checks.size() == 1 ? "logon" : checks.size() == 2 ? "CSRF" : checks.size() == 3 ? "service" : "authorization";
      checks.add(Check.failed(step, "no answer from " + settings.serviceUrl() + ": " + e.getMessage(),
          "check the network, sap.odata.read-timeout and whether SAP Gateway is up"));
    }
    return new SapDiagnosis(name, target, checks);
  }

  private Check serviceMissing(ODataClient.Reply r) {
    return Check.failed("service", "the service is not found at " + settings.serviceUrl() + " (HTTP 404)" + detail(r),
        "activate the service API_BUSINESS_PARTNER in /IWFND/MAINT_SERVICE (and check sap.odata.service-url)");
  }

  private Check unauthorized(ODataClient.Reply r) {
    return Check.failed("authorization", "SAP refused access to API_BUSINESS_PARTNER (HTTP 403)" + detail(r),
        "role for API_BUSINESS_PARTNER missing: ask the SAP security team to assign the user a role with it");
  }

  private static String detail(ODataClient.Reply r) {
    List<SapMessage> messages = ODataErrors.fromErrorBody(r.body());
    return messages.isEmpty() ? "" : ": " + ODataErrors.first(messages);
  }
}
