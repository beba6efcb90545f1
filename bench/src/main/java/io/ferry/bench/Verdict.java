package io.ferry.bench;

/**
 * One target of the issue against what was measured.
 *
 * @param target the target as the issue states it
 * @param scenario the row it belongs to (scenario name)
 * @param mode the row's mode key
 * @param figure what was measured, in words
 * @param status met, not met, or not measured in this run
 * @param reason why: the comparison, and for a miss what limits it
 */
record Verdict(String target, String scenario, String mode, String figure, Status status, String reason) {

  enum Status {
    MET("met"), NOT_MET("NOT met"), NOT_MEASURED("not measured");

    final String text;

    Status(String text) {
      this.text = text;
    }
  }
}
