package io.ferry.relay.batch;

import io.ferry.protocol.Problem.FieldError;
import java.util.List;

/**
 * A batch request that cannot be taken as a whole (as opposed to one invalid record, which only fails
 * that record). The HTTP layer answers it as a problem of its {@link Kind}; nothing of the batch is kept.
 */
public final class BatchRefused extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why, in the terms of the problem the engine gets. */
  public enum Kind {
    /** The JSON body is not JSON: 400. */
    MALFORMED_JSON,
    /** The CSV body breaks RFC 4180 or is not UTF-8: 400. */
    MALFORMED_CSV,
    /** The batch as a whole: no records, not an array, unknown or doubled columns, a missing key column, or invalid records in stop mode: 422. */
    INVALID_BATCH,
    /** The mapping parameter: syntax, unknown targets, columns the CSV lacks: 422. */
    INVALID_MAPPING
  }

  private final Kind kind;
  private final transient List<FieldError> errors;

  public BatchRefused(Kind kind, String detail, List<FieldError> errors) {
    super(detail, null, false, false);
    this.kind = kind;
    this.errors = List.copyOf(errors);
  }

  public BatchRefused(Kind kind, String detail) {
    this(kind, detail, List.of());
  }

  public Kind kind() {
    return kind;
  }

  public String detail() {
    return getMessage();
  }

  public List<FieldError> errors() {
    return errors;
  }
}
