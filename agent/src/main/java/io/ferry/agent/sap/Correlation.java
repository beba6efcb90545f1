package io.ferry.agent.sap;

import java.util.Locale;
import java.util.Objects;

/**
 * The mark a create leaves in SAP so that the agent can find the customer again when SAP's answer was
 * lost: a value derived from the job id, written into the field {@code sap.correlation-field} names. The
 * same job (every attempt of it) gets the same value.
 *
 * @param field where the value is, as an operator finds it in SAP ({@code KNA1-NAME3},
 *     {@code A_BusinessPartner.SearchTerm2})
 * @param value what is there: the job id's last {@link #LENGTH} characters, upper case
 */
public record Correlation(String field, String value) {

  /** SearchTerm1/2 of a business partner hold 20 characters; one length for every backend keeps docs simple. */
  public static final int LENGTH = 20;

  public Correlation {
    Objects.requireNonNull(field, "field");
    if (value == null || value.isBlank() || value.length() > LENGTH) {
      throw new IllegalArgumentException("a correlation value has 1 to " + LENGTH + " characters, was '" + value + "'");
    }
  }

  /**
   * The correlation of the job: the end of its id (a job id is a ULID, whose last 16 characters are
   * random), upper case as SAP's search fields keep it.
   */
  public static Correlation of(String field, String jobId) {
    String id = jobId.strip().toUpperCase(Locale.ROOT);
    return new Correlation(field, id.length() <= LENGTH ? id : id.substring(id.length() - LENGTH));
  }

  @Override
  public String toString() {
    return field + " = " + value;
  }
}
