package io.ferry.odatapeer;

import java.util.ArrayList;
import java.util.List;
import org.apache.olingo.odata2.api.uri.expression.OrderByExpression;
import org.apache.olingo.odata2.api.uri.expression.OrderExpression;
import org.apache.olingo.odata2.api.uri.expression.SortOrder;

/**
 * {@code $orderby} as SAP Gateway applies it to a query: by each expression in turn, {@code asc} unless
 * {@code desc} is named, empty values first in ascending order (as ABAP sorts initial values). Applied
 * after {@code $filter} and before {@code $skip}/{@code $top}, so paging over an ordered set is stable.
 */
final class OrderBy {

  private OrderBy() {}

  static List<Store.Row> sort(OrderByExpression orderBy, List<Store.Row> rows) throws SapError {
    if (orderBy == null || orderBy.getOrdersCount() == 0) {
      return rows;
    }
    record Keyed(Store.Row row, List<Object> keys) {}
    List<Keyed> keyed = new ArrayList<>();
    for (Store.Row r : rows) {
      List<Object> keys = new ArrayList<>();
      for (OrderExpression o : orderBy.getOrders()) {
        keys.add(Filters.value(o.getExpression(), r.data));
      }
      keyed.add(new Keyed(r, keys));
    }
    List<OrderExpression> orders = orderBy.getOrders();
    SapError[] failure = new SapError[1];
    keyed.sort((a, b) -> {
      for (int i = 0; i < orders.size(); i++) {
        int c;
        try {
          c = Filters.compare(blankToNull(a.keys().get(i)), blankToNull(b.keys().get(i)));
        } catch (SapError e) {
          failure[0] = e;
          return 0;
        }
        if (c != 0) {
          return orders.get(i).getSortOrder() == SortOrder.desc ? -c : c;
        }
      }
      return 0;
    });
    if (failure[0] != null) {
      throw failure[0];
    }
    return keyed.stream().map(Keyed::row).toList();
  }

  /** An empty string is ABAP's initial value: it sorts with the absent ones. */
  private static Object blankToNull(Object v) {
    return v instanceof String s && s.isEmpty() ? null : v;
  }
}
