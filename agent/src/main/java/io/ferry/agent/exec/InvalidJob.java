package io.ferry.agent.exec;

/** The job cannot be run as it is (the relay let through something the agent cannot use): an answer, not a fault. */
final class InvalidJob extends Exception {

  private static final long serialVersionUID = 1L;
  static final String CODE = "FERRY-AGENT-0121";

  InvalidJob(String message) {
    super(message, null, false, false);
  }
}
