package io.ferry.agent.sap;

import java.util.List;

/**
 * What {@code ferry agent test-sap} prints: each check of the way to SAP, in order, with what a basis
 * administrator can do about a failure.
 *
 * @param backend {@code bapi} or {@code odata}
 * @param target where the agent tried to reach SAP (host and system number, or the service URL), never
 *     with credentials
 */
public record SapDiagnosis(String backend, String target, List<Check> checks) {

  public SapDiagnosis {
    checks = List.copyOf(checks);
  }

  public boolean ok() {
    return checks.stream().allMatch(Check::ok);
  }

  /**
   * One step, for example "logon" or "function BAPI_CUSTOMER_CREATEFROMDATA1".
   *
   * @param problem what went wrong, in SAP's terms (null when ok)
   * @param advice what to do about it (null when ok): "ask the basis team to grant S_RFC for …"
   */
  public record Check(String name, boolean ok, String problem, String advice) {

    public static Check passed(String name) {
      return new Check(name, true, null, null);
    }

    public static Check failed(String name, String problem, String advice) {
      return new Check(name, false, problem, advice);
    }
  }
}
