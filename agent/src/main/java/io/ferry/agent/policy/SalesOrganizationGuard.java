package io.ferry.agent.policy;

import io.ferry.agent.sap.SapCall;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SapLayer;

/**
 * {@code policy.sales-organizations} applied to what SAP answers: which sales organisation an object belongs to is
 * known only once SAP has said it. Each call says how its answer is judged ({@link SapCall#admit}): a read of an
 * object outside the allowed ones is refused, a search leaves such objects out; a change names the read that must
 * be admitted first ({@link SapCall#admittedBy()}), so nothing is changed before the refusal.
 */
final class SalesOrganizationGuard implements SapLayer, SapCall.Allowed {

  private final AgentPolicy policy;

  SalesOrganizationGuard(AgentPolicy policy) {
    this.policy = policy;
  }

  @Override
  public <T> T around(SapCall<T> call, Inner inner) throws SapException {
    SapCall<?> first = call.admittedBy();
    if (first != null) {
      admitFirst(first, inner);
    }
    return call.admit(inner.run(call), this);
  }

  private <U> void admitFirst(SapCall<U> first, Inner inner) throws SapException {
    first.admit(inner.run(first), this);
  }

  @Override
  public boolean salesOrganization(String salesOrganization) {
    return salesOrganization != null && policy.permitsSalesOrganization(salesOrganization);
  }

  @Override
  public SapException refusal(String what, String salesOrganization) {
    String org = salesOrganization == null ? "no sales organisation" : "sales organisation " + salesOrganization;
    return AgentPolicy.forbidden(AgentPolicy.SALES_ORGANIZATION_FORBIDDEN, what + " belongs to " + org
        + ", which is not in this agent's policy.sales-organizations");
  }

  @Override
  public String toString() {
    return "within sales organisations " + policy.salesOrganizations();
  }
}
