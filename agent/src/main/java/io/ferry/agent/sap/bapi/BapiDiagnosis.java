package io.ferry.agent.sap.bapi;

import com.sap.conn.jco.JCoAttributes;
import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoDestinationManager;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoRepository;
import com.sap.conn.jco.JCoRuntimeException;
import com.sap.conn.jco.JCoTable;
import io.ferry.agent.sap.SapDiagnosis;
import io.ferry.agent.sap.SapDiagnosis.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ferry agent test-sap} for the BAPI backend: the destination's properties, the network (a
 * ping), the logon, the system's attributes, then each function module Ferry calls. A step that
 * fails ends the diagnosis when later steps cannot run without it; a function module that is missing
 * or not allowed does not stop the others. Read-only function modules are also executed once with a
 * customer number no system has, which proves the user's RFC authorisation for them; the ones that
 * write (create, change, commit) are only looked up, as running them could change SAP.
 *
 * <p>Never throws. Messages come from JCo, which names no password; the target names host, system
 * number and client only (a SAProuter string can carry a password, so it is never shown).
 */
final class BapiDiagnosis {

  /** Every function module the BAPI backend calls, in the order an operator would check them. */
  static final List<String> FUNCTIONS = List.of(BapiBackend.CREATE, BapiBackend.CHANGE, BapiBackend.GETDETAIL2,
      BapiBackend.GETDETAIL1, BapiBackend.GETSALESAREAS, BapiBackend.FIND, BapiBackend.GETLIST, BapiBackend.COMMIT,
      BapiBackend.ROLLBACK);

  private static final String NO_CUSTOMER = "0000000000";

  private final String destinationName;
  private final List<String> functions;
  private final List<Check> checks = new ArrayList<>();
  private String target;

  private BapiDiagnosis(String destinationName, List<String> functions) {
    this.destinationName = destinationName;
    this.functions = functions;
    this.target = "destination " + destinationName;
  }

  /** @param more function modules to check after the customers' (the sales-order BAPIs, when orders run) */
  static SapDiagnosis run(String destinationName, List<String> more) {
    List<String> all = new ArrayList<>(FUNCTIONS);
    all.addAll(more);
    BapiDiagnosis d = new BapiDiagnosis(destinationName, List.copyOf(all));
    try {
      d.steps();
    } catch (RuntimeException e) {
      d.checks.add(Check.failed("diagnosis", "the diagnosis itself failed: " + e,
          "report this to the Ferry maintainers with the agent's log"));
    }
    return new SapDiagnosis("bapi", d.target, d.checks);
  }

  private void steps() {
    JCoDestination destination = destination();
    if (destination == null || !network(destination) || !logonAndSystem(destination)) {
      return;
    }
    JCoRepository repository;
    try {
      repository = destination.getRepository();
    } catch (JCoException e) {
      checks.add(Check.failed("function repository", "reading function metadata failed: " + e.getMessage(),
          "grant the user S_RFC for the function groups RFC1, SDIFRUNTIME and SYST, which JCo needs to read "
              + "function interfaces"));
      return;
    }
    for (String function : functions) {
      checks.add(function(repository, destination, function));
    }
  }

  private JCoDestination destination() {
    try {
      JCoDestination d = JCoDestinationManager.getDestination(destinationName);
      target = target(d);
      checks.add(Check.passed("destination"));
      return d;
    } catch (JCoException e) {
      if (e.getGroup() == JCoException.JCO_ERROR_DESTINATION_DATA_INVALID) {
        checks.add(Check.failed("destination", "the destination properties are invalid: " + e.getMessage(),
            "fix the jco.client.* settings of destination " + destinationName + " in the agent configuration"));
      } else {
        checks.add(Check.failed("destination", "destination " + destinationName + " is not available: " + e.getMessage(),
            "check sap.destination and the agent's JCo destination settings"));
      }
      return null;
    } catch (RuntimeException e) {
      checks.add(Check.failed("destination", "destination " + destinationName + " cannot be built: " + e,
          "fix the jco.client.* settings of destination " + destinationName + " in the agent configuration"));
      return null;
    }
  }

  /** Host and system number (or message server), client: never the user, password or SAProuter string. */
  private static String target(JCoDestination d) {
    String client = " client " + d.getClient();
    if (!blank(d.getApplicationServerHost())) {
      return "ashost " + d.getApplicationServerHost() + " sysnr " + d.getSystemNumber() + client
          + (blank(d.getSAPRouterString()) ? "" : " via SAProuter");
    }
    return "mshost " + d.getMessageServerHost() + (blank(d.getR3Name()) ? "" : " r3name " + d.getR3Name())
        + (blank(d.getLogonGroup()) ? "" : " group " + d.getLogonGroup()) + client
        + (blank(d.getSAPRouterString()) ? "" : " via SAProuter");
  }

  /** A ping opens a connection and logs on: a refused logon means the network is fine. */
  private boolean network(JCoDestination d) {
    try {
      d.ping();
      checks.add(Check.passed("network"));
      return true;
    } catch (JCoException e) {
      if (isLogon(e)) {
        checks.add(Check.passed("network"));
        checks.add(logonFailed(e));
        return false;
      }
      checks.add(Check.failed("network", networkProblem(e), networkAdvice(d, e)));
      return false;
    }
  }

  private static String networkProblem(JCoException e) {
    return switch (e.getGroup()) {
      case JCoException.JCO_ERROR_COMMUNICATION -> "host unreachable: " + e.getMessage();
      case JCoException.JCO_ERROR_TIMEOUT -> "no answer in time: " + e.getMessage();
      case JCoException.JCO_ERROR_RESOURCE -> "no free connection: " + e.getMessage();
      default -> "the connection failed: " + e.getMessage();
    };
  }

  private static String networkAdvice(JCoDestination d, JCoException e) {
    if (e.getGroup() == JCoException.JCO_ERROR_RESOURCE) {
      return "check jco.destination.peak_limit and jco.destination.max_get_client_time, and whether other "
          + "programs share the destination";
    }
    if (!blank(d.getApplicationServerHost())) {
      return "check jco.client.ashost / sysnr / saprouter and firewall port 33" + d.getSystemNumber()
          + " from this machine to the SAP application server";
    }
    return "check jco.client.mshost / msserv / r3name / group / saprouter and the firewall ports of the message "
        + "server and the application servers from this machine";
  }

  private boolean logonAndSystem(JCoDestination d) {
    JCoAttributes a;
    try {
      a = d.getAttributes();
    } catch (JCoException e) {
      checks.add(isLogon(e) ? logonFailed(e) : Check.failed("logon", "the logon failed: " + e.getMessage(),
          "check the SAP system's availability (SM21, ST22) and try again"));
      return false;
    }
    checks.add(Check.passed("logon"));
    String sid = a.getSystemID() == null ? "" : a.getSystemID().strip();
    String release = a.getPartnerRelease() == null ? "" : a.getPartnerRelease().strip();
    target = target + " (SID " + (sid.isEmpty() ? "?" : sid) + (release.isEmpty() ? "" : ", release " + release) + ")";
    if (!blank(d.getClient()) && !d.getClient().equals(a.getClient())) {
      checks.add(Check.failed("system", "logged on to client " + a.getClient() + ", not the configured "
          + d.getClient(), "check jco.client.client"));
      return false;
    }
    checks.add(Check.passed("system"));
    return true;
  }

  private static boolean isLogon(JCoException e) {
    return e.getGroup() == JCoException.JCO_ERROR_LOGON_FAILURE
        || e.getGroup() == JCoException.JCO_ERROR_PASSWORD_CHANGE_REQUIRED;
  }

  private static Check logonFailed(JCoException e) {
    if (e.getGroup() == JCoException.JCO_ERROR_PASSWORD_CHANGE_REQUIRED) {
      return Check.failed("logon", "the SAP user must change its password: " + e.getMessage(),
          "set a new password in SAP and in jco.client.passwd; give the agent a system (technical) user, whose "
              + "password does not expire");
    }
    return Check.failed("logon", "logon refused: " + e.getMessage(),
        "check user, password, client (jco.client.user, jco.client.passwd, jco.client.client); locked user (SU01)");
  }

  private Check function(JCoRepository repository, JCoDestination d, String name) {
    String check = "function " + name;
    try {
      JCoFunction f = repository.getFunction(name);
      if (f == null) {
        return Check.failed(check, "function " + name + " not found",
            "is this an ECC/S/4 system with the customer BAPIs? The function module must exist and be remote-enabled");
      }
      probe(f, d);
      return Check.passed(check);
    } catch (JCoException e) {
      if (isAuthorization(e)) {
        return Check.failed(check, "no RFC authorization for " + name + ": " + e.getMessage(),
            "grant the user S_RFC for function module " + name + " (RFC_TYPE FUNC) or for its function group "
                + "(RFC_TYPE FUGR)");
      }
      return Check.failed(check, "calling " + name + " failed: " + e.getMessage(),
          "check the SAP system's log (SM21) and short dumps (ST22) for the agent's user");
    } catch (JCoRuntimeException e) {
      return Check.failed(check, "the interface of " + name + " differs from what Ferry expects: " + e.getMessage(),
          "Ferry is written against the ECC interface of the customer BAPIs; report the system's release");
    }
  }

  /**
   * Executes a read-only function module once, for a customer no system has, which fails only without
   * the RFC authorisation. The function modules that write are not run.
   */
  private static void probe(JCoFunction f, JCoDestination d) throws JCoException {
    switch (f.getName()) {
      case BapiBackend.GETDETAIL2, BapiBackend.GETDETAIL1, BapiBackend.GETSALESAREAS ->
          f.getImportParameterList().setValue("CUSTOMERNO", NO_CUSTOMER);
      case BapiBackend.FIND -> {
        JCoTable criteria = f.getTableParameterList().getTable("SELOPT_TAB");
        criteria.appendRow();
        criteria.setValue("TABNAME", "KNA1");
        criteria.setValue("FIELDNAME", "KUNNR");
        criteria.setValue("FIELDVALUE", NO_CUSTOMER);
      }
      case BapiBackend.GETLIST -> {
        f.getImportParameterList().setValue("MAXROWS", 1);
        JCoTable range = f.getTableParameterList().getTable("IDRANGE");
        range.appendRow();
        range.setValue("SIGN", "I");
        range.setValue("OPTION", "EQ");
        range.setValue("LOW", NO_CUSTOMER);
      }
      case BapiBackend.ROLLBACK -> {
        // Nothing to roll back in a session of its own.
      }
      default -> {
        return;
      }
    }
    f.execute(d);
  }

  /** SAP answers a missing S_RFC authorisation with a system failure naming the authorisation. */
  static boolean isAuthorization(JCoException e) {
    String text = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return e.getGroup() == JCoException.JCO_ERROR_SYSTEM_FAILURE && text.contains("authoriz");
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
