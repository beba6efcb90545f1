package io.ferry.agent.sap;

import java.util.Optional;

/**
 * One call to SAP as the layers around every port see it ({@link SapLayer}: the sales-organisation guard,
 * retries and the breaker, metering). A business object's executor describes each of its calls this way — what
 * it is called in metrics and logs, whether it may be repeated, how the guard judges its answer — so those layers
 * know nothing of customers or orders, and a new object's port needs no decorator of its own.
 *
 * @param <T> what the call answers
 */
public final class SapCall<T> {

  /** The call itself, on the port. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws SapException;
  }

  /** What the agent's policy allows of the objects SAP answers with ({@code policy.sales-organizations}). */
  public interface Allowed {
    /** Whether objects of this sales organisation (null: none known) may be read, returned or changed. */
    boolean salesOrganization(String salesOrganization);

    /** The refusal for {@code what} (such as "customer 0000100017"), which belongs to {@code salesOrganization}. */
    SapException refusal(String what, String salesOrganization);
  }

  /** How the guard judges an answer: returns it (or the part of it that may be seen) or throws the refusal. */
  @FunctionalInterface
  public interface Admission<T> {
    T admit(T answer, Allowed allowed) throws SapException;
  }

  /** Whether the call may be sent again after a transient failure, and how. */
  public enum Repeat {
    /** As it is: a read, a look-up, or a change that sets fixed values (twice leaves SAP as once). */
    AS_IS,
    /**
     * A create: sent again as it is only when SAP surely did not act; after a failure that leaves the outcome
     * unknown, only when {@link #lookUp()} finds nothing — and never, when it has none (a generic function call or
     * OData write): then OUTCOME_UNKNOWN is the answer.
     */
    AFTER_LOOK_UP
  }

  private final String operation;
  private final String subject;
  private final Repeat repeat;
  private final Work<T> work;
  private final SapCall<Optional<T>> lookUp;
  private final String lookUpLabel;
  private final Admission<T> admission;
  private final SapCall<?> admittedBy;

  private SapCall(String operation, String subject, Repeat repeat, Work<T> work, SapCall<Optional<T>> lookUp,
      String lookUpLabel, Admission<T> admission, SapCall<?> admittedBy) {
    this.operation = operation;
    this.subject = subject;
    this.repeat = repeat;
    this.work = work;
    this.lookUp = lookUp;
    this.lookUpLabel = lookUpLabel;
    this.admission = admission;
    this.admittedBy = admittedBy;
  }

  /**
   * A call that may be repeated as it is.
   *
   * @param operation its name in metrics and logs ({@code read}, {@code find} …)
   * @param subject what it is about, for messages ("the customer")
   */
  public static <T> SapCall<T> repeatable(String operation, String subject, Work<T> work) {
    return new SapCall<>(operation, subject, Repeat.AS_IS, work, null, null, null, null);
  }

  /**
   * A create. {@code lookUp} finds what an earlier try of it made, so that a create whose answer was lost is not
   * made twice; {@code lookUpLabel} says what it looks by ("externalId C-1001"), or, when {@code lookUp} is null,
   * why there is no way to look ("the customer has no externalId and …").
   *
   * @param subject what is created, for messages: "the customer"
   */
  public static <T> SapCall<T> create(String operation, String subject, Work<T> work, SapCall<Optional<T>> lookUp,
      String lookUpLabel) {
    return new SapCall<>(operation, subject, Repeat.AFTER_LOOK_UP, work, lookUp, lookUpLabel, null, null);
  }


  /** This call, its answer judged by the guard with {@code admission}. */
  public SapCall<T> admitted(Admission<T> check) {
    return new SapCall<>(operation, subject, repeat, work, lookUp, lookUpLabel, check, admittedBy);
  }

  /**
   * This call, run only when the guard admits what {@code first} answers (a change reads its object first, so that
   * nothing outside the policy is changed). Without a guard {@code first} is not made.
   */
  public SapCall<T> after(SapCall<?> first) {
    return new SapCall<>(operation, subject, repeat, work, lookUp, lookUpLabel, admission, first);
  }

  public String operation() {
    return operation;
  }

  public String subject() {
    return subject;
  }

  public Repeat repeat() {
    return repeat;
  }

  /** Runs the call itself; layers call this last, through {@link SapCalls}. */
  T runWork() throws SapException {
    return work.run();
  }

  /** For a create: the call that finds what an earlier try made; null when there is none. */
  public SapCall<Optional<T>> lookUp() {
    return lookUp;
  }

  /** What {@link #lookUp()} looks by, for messages ("externalId C-1001"); without a look-up, why there is none. */
  public String lookUpLabel() {
    return lookUpLabel;
  }

  /** The answer as the policy lets it through; the answer itself when the call has nothing to judge. */
  public T admit(T answer, Allowed allowed) throws SapException {
    return admission == null ? answer : admission.admit(answer, allowed);
  }

  /** The call whose answer the guard admits before this one runs; null for none. */
  public SapCall<?> admittedBy() {
    return admittedBy;
  }

  @Override
  public String toString() {
    return operation + " of " + subject;
  }
}
