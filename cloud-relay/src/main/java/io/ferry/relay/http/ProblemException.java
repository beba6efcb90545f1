package io.ferry.relay.http;

import io.ferry.protocol.Problem.FieldError;
import io.ferry.protocol.SapMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A problem to answer, thrown from a handler or built for a failed job. Carries no stack trace:
 * it is an answer, not a fault.
 */
final class ProblemException extends RuntimeException {

  final ProblemType type;
  final String detail;
  private String code;
  private List<FieldError> errors = List.of();
  private List<SapMessage> sapMessages = List.of();
  private String abapException;
  private final Map<String, String> headers = new LinkedHashMap<>();

  ProblemException(ProblemType type, String detail) {
    super(type.code + " " + detail, null, false, false);
    this.type = type;
    this.detail = detail;
  }

  /** The agent's own code (for example FERRY-SAP-0001) instead of the type's. */
  ProblemException code(String agentCode) {
    if (agentCode != null && !agentCode.isBlank()) {
      this.code = agentCode;
    }
    return this;
  }

  ProblemException errors(List<FieldError> fieldErrors) {
    this.errors = List.copyOf(fieldErrors);
    return this;
  }

  ProblemException sapMessages(List<SapMessage> messages) {
    this.sapMessages = List.copyOf(messages);
    return this;
  }

  /** The key of the ABAP exception a function module raised: the problem's member {@code abapException}. */
  ProblemException abapException(String key) {
    this.abapException = key == null || key.isBlank() ? null : key;
    return this;
  }

  String abapException() {
    return abapException;
  }

  ProblemException header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  String code() {
    return code != null ? code : type.code;
  }

  List<FieldError> errors() {
    return errors;
  }

  List<SapMessage> sapMessages() {
    return sapMessages;
  }

  Map<String, String> headers() {
    return headers;
  }
}
