package io.ferry.relay.objects;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Action;
import io.ferry.protocol.Protocol;
import io.ferry.relay.auth.Scope;
import org.junit.jupiter.api.Test;

class BusinessObjectTest {

  @Test
  void everyActionBelongsToAnObject() {
    for (Action a : Action.values()) {
      assertThat(BusinessObject.of(a).wireName()).as(a.wireName()).isEqualTo(a.wireName().split("\\.")[0]);
    }
    assertThat(BusinessObject.of(Action.SALES_ORDER_READ).followScopes())
        .containsExactly(Scope.SALES_ORDERS_READ, Scope.SALES_ORDERS_WRITE);
    assertThat(BusinessObject.of(Action.CUSTOMER_CREATE).callbackMember()).isEqualTo("customer");
    assertThat(BusinessObject.SALES_ORDER.callbackMember()).isEqualTo("salesOrder");
  }

  @Test
  void twoCreatesOfOneOrderAndTwoReadsOfOneOrderShareAGroupOthersDoNot() throws Exception {
    var create = Protocol.json().readTree("{\"soldToParty\":\"0000100001\",\"purchaseOrderByCustomer\":\"PO-1\"}");
    var read = Protocol.json().readTree("{\"salesOrder\":\"5000000\"}");
    var noReference = Protocol.json().readTree("{\"soldToParty\":\"0000100001\",\"purchaseOrderByCustomer\":\" \"}");

    assertThat(BusinessObject.SALES_ORDER.groupKey(create)).hasValue("salesorder:0000100001/PO-1");
    assertThat(BusinessObject.SALES_ORDER.groupKey(read)).hasValue("salesorder:5000000");
    assertThat(BusinessObject.SALES_ORDER.groupKey(noReference)).isEmpty();
    assertThat(BusinessObject.SALES_ORDER.groupKey(null)).isEmpty();
  }

  @Test
  void genericCallsAreFollowedWithTheirScopesAnswerUnderOutputAndGroupByNothing() throws Exception {
    assertThat(BusinessObject.of(Action.FUNCTION_CALL).followScopes()).containsExactly(Scope.FUNCTIONS_CALL);
    assertThat(BusinessObject.of(Action.ODATA_WRITE).followScopes())
        .containsExactly(Scope.ODATA_READ, Scope.ODATA_WRITE);
    assertThat(BusinessObject.of(Action.CATALOG_READ).followScopes())
        .contains(Scope.FUNCTIONS_CALL, Scope.ODATA_READ);
    for (Action a : Action.values()) {
      assertThat(BusinessObject.of(a).isGeneric()).as(a.wireName()).isEqualTo(a.isGeneric());
      if (a.isGeneric()) {
        assertThat(BusinessObject.of(a).callbackMember()).isEqualTo("output");
      }
    }
    // Each generic job is a message group of its own: the relay cannot tell which two calls touch the same thing.
    var call = Protocol.json().readTree("{\"function\":\"RFC_READ_TABLE\",\"salesOrder\":\"1\"}");
    assertThat(BusinessObject.FUNCTION.groupKey(call)).isEmpty();
    assertThat(BusinessObject.ODATA.groupKey(Protocol.json().readTree("{\"service\":\"S\",\"path\":\"A\"}")))
        .isEmpty();
  }

  @Test
  void anAgentsGenericAnswerIsCheckedForItsShape() throws Exception {
    assertThat(BusinessObject.ODATA.breaches(Protocol.json().readTree("{\"status\":200,\"body\":{}}"))).isEmpty();
    assertThat(BusinessObject.ODATA.breaches(Protocol.json().readTree("{\"status\":500}")))
        .extracting(e -> e.field()).containsExactly("status");
    assertThat(BusinessObject.FUNCTION.breaches(Protocol.json().readTree("{\"tables\":[]}")))
        .extracting(e -> e.field()).containsExactly("tables");
    assertThat(BusinessObject.CATALOG.breaches(Protocol.json().readTree("{\"functions\":[{\"description\":\"x\"}]}")))
        .extracting(e -> e.field()).containsExactly("functions[0].name");
  }
}
