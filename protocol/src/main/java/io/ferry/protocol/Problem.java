package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem ({@code application/problem+json}) with Ferry's extension members:
 * {@code code} (stable, documented), {@code retryable}, {@code sapMessages} when SAP refused, and
 * {@code errors} naming each invalid field.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    String code,
    Boolean retryable,
    List<SapMessage> sapMessages,
    List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";

  public Problem {
    sapMessages = sapMessages == null ? List.of() : List.copyOf(sapMessages);
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /** One invalid field: {@code field} is a JSON path such as {@code salesArea.division}. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record FieldError(String field, String message) {}
}
