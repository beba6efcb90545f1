package io.ferry.agent.customer;

import io.ferry.agent.handler.JobRefused;
import io.ferry.agent.sap.SapConversions;
import io.ferry.protocol.Problem.FieldError;
import io.ferry.protocol.SearchQuery;
import io.ferry.protocol.SearchRules;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A search job's query as the backends take it: text of {@link SearchRules#MIN_TEXT} to
 * {@link SearchRules#MAX_TEXT} characters or none, {@code top} from 1 to {@link SearchRules#MAX_TOP}
 * ({@link SearchRules#DEFAULT_TOP} when absent), the cursor a customer number in SAP's internal form.
 * The relay checks the same rules; this keeps a backend from ever seeing anything else.
 */
final class SearchQueries {

  private SearchQueries() {}

  static SearchQuery valid(SearchQuery query) throws JobRefused {
    SearchQuery q = query == null ? new SearchQuery(null, null, null) : query;
    String top = q.top() == null ? null : q.top().toString();
    List<FieldError> errors = SearchRules.check(q.text(), top, q.cursor());
    if (!errors.isEmpty()) {
      throw JobRefused.invalid("the search is not valid: " + errors.stream().map(e -> e.field() + " " + e.message())
          .collect(Collectors.joining("; ")));
    }
    SearchQuery normal = SearchRules.query(q.text(), top, q.cursor());
    if (normal.cursor() == null) {
      return normal;
    }
    try {
      return new SearchQuery(normal.text(), normal.top(), SapConversions.toInternalCustomerNumber(normal.cursor()));
    } catch (IllegalArgumentException e) {
      throw JobRefused.invalid("the search's cursor '" + normal.cursor() + "' is not one this agent made (a customer "
          + "number); follow the nextLink of the previous page as it is");
    }
  }
}
