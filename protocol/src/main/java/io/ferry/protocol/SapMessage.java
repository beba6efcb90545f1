package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One SAP message as both backends report it: {@code type} S/E/W/I/A, {@code id} the message class,
 * {@code number} the three-digit message number, {@code message} the text.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SapMessage(String type, String id, String number, String message) {

  @JsonIgnore
  public boolean isError() {
    return "E".equals(type) || "A".equals(type);
  }
}
