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
}
