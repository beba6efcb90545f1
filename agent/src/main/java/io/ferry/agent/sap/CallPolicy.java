package io.ferry.agent.sap;

import java.util.List;

/**
 * What a SAP backend may call, asked at the call site just before the call: the function module a BAPI
 * backend is about to fetch and run, the OData resource a request is about to address. A refusal is a
 * {@link SapException} of kind {@link SapException.Kind#FORBIDDEN}, and nothing reaches SAP.
 *
 * <p>The agent's on-prem allowlist ({@code io.ferry.agent.policy}) implements it; backends only ask.
 */
public interface CallPolicy {

  /** A function module the policy does not name ({@code policy.bapi.functions} or {@code policy.functions}). */
  String FUNCTION_FORBIDDEN = "FERRY-AGENT-0304";
  /** An OData resource the policy does not cover ({@code policy.odata.paths} or {@code policy.odata.resources}). */
  String PATH_FORBIDDEN = "FERRY-AGENT-0305";
  /** What every refusal's message starts with: the engine sees it as the problem's detail. */
  String FORBIDDEN = "forbidden by agent policy";


  /** Allows everything: for tests and tools that check the way to SAP, never for running jobs. */
  CallPolicy PERMIT_ALL = new CallPolicy() {
    @Override
    public void checkFunction(String functionModule) {}

    @Override
    public void checkPath(String method, List<String> pathSegments) {}

    @Override
    public void checkGenericFunction(String functionModule) {}

    @Override
    public boolean allowsFunction(String functionModule) {
      return true;
    }

    @Override
    public void checkService(String service) {}

    @Override
    public void checkResource(String service, String entitySet, String method) {}

    @Override
    public String toString() {
      return "CallPolicy[permit all]";
    }
  };

  /** Throws {@link SapException.Kind#FORBIDDEN} unless the BAPI backend may call {@code functionModule}. */
  void checkFunction(String functionModule) throws SapException;

  /**
   * Throws {@link SapException.Kind#FORBIDDEN} unless the OData backend may send {@code method} to the
   * resource at {@code pathSegments} (the URL's decoded path segments, from the server's root).
   */
  void checkPath(String method, List<String> pathSegments) throws SapException;

  /**
   * Throws {@link SapException.Kind#FORBIDDEN} unless engines may call or describe {@code functionModule} generically
   * ({@code policy.functions}). Asked by the BAPI backend's generic port before it reads the function's interface;
   * refuses everything unless an implementation says otherwise.
   */
  default void checkGenericFunction(String functionModule) throws SapException {
    throw new SapException(SapException.Kind.FORBIDDEN, FUNCTION_FORBIDDEN, "forbidden by agent policy: function "
        + "module " + functionModule + " is not in this agent's policy.functions", List.of());
  }

  /**
   * Whether a generic call of {@code functionModule} whose outcome is unknown may be run again
   * ({@code policy.functions.repeatable}: the administrator knows it to be read-only); false unless an implementation
   * says otherwise.
   */
  default boolean isRepeatableFunction(String functionModule) {
    return false;
  }

  /**
   * Whether the BAPI backend may call {@code functionModule} for its own purposes ({@code policy.bapi.functions}),
   * asked quietly: for something optional, such as reading a function's short text, that is skipped when not allowed.
   */
  default boolean allowsFunction(String functionModule) {
    try {
      checkFunction(functionModule);
      return true;
    } catch (SapException e) {
      return false;
    }
  }

  /**
   * Throws {@link SapException.Kind#FORBIDDEN} unless generic OData requests may read the service document and
   * {@code $metadata} of {@code service} (the agent's name of it, {@code sap.odata.services.<name>.url}). A policy
   * that knows no generic grants allows nothing.
   */
  default void checkService(String service) throws SapException {
    throw new SapException(SapException.Kind.FORBIDDEN, PATH_FORBIDDEN,
        "forbidden by agent policy: no generic OData access to " + service, List.of());
  }

  /**
   * Throws {@link SapException.Kind#FORBIDDEN} unless a generic OData request may send {@code method} to
   * {@code entitySet} of {@code service}; a policy that knows no generic grants allows nothing.
   */
  default void checkResource(String service, String entitySet, String method) throws SapException {
    throw new SapException(SapException.Kind.FORBIDDEN, PATH_FORBIDDEN,
        "forbidden by agent policy: " + method + " " + service + "/" + entitySet, List.of());
  }
}
