package io.ferry.agent.sap.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.agent.sap.CallDeadline;
import io.ferry.agent.sap.Correlation;
import io.ferry.agent.sap.SapCall;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException.Kind;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPatch;
import io.ferry.testing.ManualClock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Which failures are retried, how often, how long apart, and how a create stays exactly-once: the layer every call
 * to SAP passes, tried with calls shaped as the customer executor makes them.
 */
class ResilienceTest {

  private final ManualClock clock = new ManualClock();
  private final List<Duration> pauses = new ArrayList<>();
  private final ScriptedSap sap = new ScriptedSap();
  private final Resilience resilience = new Resilience("scripted",
      new ResilienceSettings(4, Duration.ofMillis(500), Duration.ofSeconds(10), 5, Duration.ofSeconds(30)), clock,
      d -> {
        pauses.add(d);
        clock.advance(d);
      }, () -> 0.999);
  private final Calls backend = new Calls(resilience);

  private static SapException unavailable() {
    return new SapException(Kind.UNAVAILABLE, SapErrorCodes.UNAVAILABLE, "JCo 102: connection reset", List.of(),
        new IOException("connection reset"));
  }

  private static SapException connectionRefused() {
    return new SapException(Kind.UNAVAILABLE, SapErrorCodes.UNAVAILABLE, "SAP is not reachable", List.of(),
        new ConnectException("Connection refused"));
  }

  private static SapException readTimeout() {
    return new SapException(Kind.OUTCOME_UNKNOWN, SapErrorCodes.OUTCOME_UNKNOWN, "SAP did not answer in time", List.of(),
        new SocketTimeoutException("timeout"));
  }

  /** What a backend reports when SAP may have committed the create: the answer was lost. */
  private static SapException answerLost() {
    return new SapException(Kind.OUTCOME_UNKNOWN, SapErrorCodes.OUTCOME_UNKNOWN, "JCo 102 during the commit", List.of(),
        new IOException("connection reset"));
  }

  private static final Correlation CORRELATION = Correlation.of("KNA1-NAME3", "01JEXAMPLE0000000000000042");

  @Test
  void aTransientFailureIsRetriedWithGrowingJitteredPausesUntilSapAnswers() throws SapException {
    sap.failures.add(unavailable());
    sap.failures.add(unavailable());

    Customer c = backend.read("100001");

    assertThat(c.customerNumber()).isEqualTo("0000100001");
    assertThat(sap.calls).containsExactly("read", "read", "read");
    assertThat(pauses).hasSize(2);
    assertThat(pauses.get(0)).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
    assertThat(pauses.get(1)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
    assertThat(resilience.breakerStatus().state()).isEqualTo(BreakerState.CLOSED);
    assertThat(resilience.breakerStatus().consecutiveFailures()).isZero();
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"BUSINESS", "NOT_FOUND", "FORBIDDEN", "CONFIGURATION"})
  void aFailureThatIsNotTransientIsNeverRetried(Kind kind) {
    sap.failures.add(new SapException(kind, "X", "refused", List.of()));

    assertThatThrownBy(() -> backend.update("100001", CustomerPatch.fromMergePatch(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("name", "B"))))
        .isInstanceOfSatisfying(SapException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    assertThat(sap.calls).containsExactly("update");
    assertThat(pauses).isEmpty();
  }

  @Test
  void aCallThatCannotBeLookedUpIsNotSentAgainAfterItsAnswerWasLost() {
    List<String> sent = new ArrayList<>();
    SapCall<String> call = SapCall.create("call", "function module Z_POST", () -> {
      sent.add("Z_POST");
      throw answerLost();
    }, null, "a function call has no reference to look it up by");

    assertThatThrownBy(() -> SapCalls.of(resilience).run(call))
        .isInstanceOfSatisfying(SapException.class, e -> assertThat(e.kind()).isEqualTo(Kind.OUTCOME_UNKNOWN));
    assertThat(sent).containsExactly("Z_POST");
    assertThat(pauses).isEmpty();
  }

  @Test
  void aCallThatCannotBeLookedUpIsSentAgainWhileSapSurelyDidNotAct() throws SapException {
    Deque<SapException> failures = new ArrayDeque<>(List.of(connectionRefused(), unavailable()));
    List<String> sent = new ArrayList<>();
    SapCall<String> call = SapCall.create("call", "function module Z_POST", () -> {
      sent.add("Z_POST");
      if (!failures.isEmpty()) {
        throw failures.poll();
      }
      return "posted";
    }, null, "a function call has no reference to look it up by");

    assertThat(SapCalls.of(resilience).run(call)).isEqualTo("posted");
    assertThat(sent).hasSize(3);
    assertThat(pauses).hasSize(2);
  }

  @Test
  void retriesStopAtMaxAttempts() {
    for (int i = 0; i < 10; i++) {
      sap.failures.add(unavailable());
    }

    assertThatThrownBy(() -> backend.read("1")).isInstanceOf(SapException.class);
    assertThat(sap.calls).hasSize(4);
  }

  @Test
  void noRetryWaitsBeyondTheJobsDeadline() {
    for (int i = 0; i < 10; i++) {
      sap.failures.add(unavailable());
    }

    try (CallDeadline.Scope scope = CallDeadline.until(clock.instant().plusMillis(1200))) {
      assertThatThrownBy(() -> backend.read("1")).isInstanceOfSatisfying(SapException.class,
          e -> assertThat(e.code()).isEqualTo(SapErrorCodes.UNAVAILABLE));
    }
    // 0 ms: call 1; ~500 ms: call 2; ~1500 ms would be after the deadline.
    assertThat(sap.calls).hasSize(2);
    assertThat(clock.instant()).isBefore(java.time.Instant.parse("2026-11-21T10:00:01.200Z"));
    assertThat(CallDeadline.current()).isEmpty();
  }

  @Test
  void aCreateSapSurelyDidNotTakeIsSentAgainAsItIs() throws SapException {
    sap.failures.add(connectionRefused());
    sap.failures.add(unavailable());

    backend.create(customer("CRM-1"));

    assertThat(sap.calls).containsExactly("create", "create", "create");
  }

  @Test
  void aCreateThatMayHaveReachedSapLooksTheExternalIdUpBeforeTryingAgain() throws SapException {
    sap.failures.add(readTimeout());
    sap.createdMeanwhile = customer("CRM-1").withCustomerNumber("0000100042");

    Customer c = backend.create(customer("CRM-1"), CORRELATION);

    assertThat(c.customerNumber()).isEqualTo("0000100042");
    assertThat(sap.calls).containsExactly("create", "find CRM-1");
  }

  @Test
  void aCreateThatMayHaveReachedSapIsCreatedAgainWhenTheLookUpFindsNothing() throws SapException {
    sap.failures.add(answerLost());

    backend.create(customer("CRM-1"));

    assertThat(sap.calls).containsExactly("create", "find CRM-1", "create");
  }

  @Test
  void aCreateWithoutExternalIdIsLookedUpByItsCorrelation() throws SapException {
    sap.failures.add(answerLost());
    sap.createdMeanwhile = customer(null).withCustomerNumber("0000100042");

    Customer c = backend.create(customer(null), CORRELATION);

    assertThat(c.customerNumber()).isEqualTo("0000100042");
    assertThat(sap.calls).containsExactly("create", "correlation " + CORRELATION.value());
  }

  @Test
  void aCreateWithNoWayToLookItUpIsAnUnknownOutcomeNotARetry() {
    sap.failures.add(answerLost());

    assertThatThrownBy(() -> backend.create(customer(null))).isInstanceOfSatisfying(SapException.class, e -> {
      assertThat(e.kind()).isEqualTo(Kind.OUTCOME_UNKNOWN);
      assertThat(e.code()).isEqualTo(SapErrorCodes.OUTCOME_UNKNOWN);
      assertThat(e.getMessage()).contains("sap.correlation-field").contains("created around");
    });
    assertThat(sap.calls).containsExactly("create");
  }

  @Test
  void whenTheLookUpFailsTooTheOutcomeIsUnknownAndNamesTheCorrelation() {
    Calls once = new Calls(new Resilience("scripted",
        new ResilienceSettings(1, Duration.ofMillis(500), Duration.ofSeconds(10), 5, Duration.ofSeconds(30)), clock,
        clock::advance, () -> 0.5));
    sap.failures.add(answerLost());
    sap.failures.add(unavailable());

    assertThatThrownBy(() -> once.create(customer(null), CORRELATION)).isInstanceOfSatisfying(SapException.class, e -> {
      assertThat(e.kind()).isEqualTo(Kind.OUTCOME_UNKNOWN);
      assertThat(e.getMessage()).contains("KNA1-NAME3 = " + CORRELATION.value()).contains("failed too");
    });
    assertThat(sap.calls).containsExactly("create", "correlation " + CORRELATION.value());
  }

  @Test
  void aReconciliationThatFindsNothingSaysSapDidNotActAndIsWorthARetry() {
    Calls once = new Calls(new Resilience("scripted",
        new ResilienceSettings(1, Duration.ofMillis(500), Duration.ofSeconds(10), 5, Duration.ofSeconds(30)), clock,
        clock::advance, () -> 0.5));
    sap.failures.add(answerLost());

    assertThatThrownBy(() -> once.create(customer(null), CORRELATION)).isInstanceOfSatisfying(SapException.class, e -> {
      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(e.getMessage()).contains("SAP did not create the customer");
    });
    assertThat(sap.calls).containsExactly("create", "correlation " + CORRELATION.value());
  }

  @Test
  void theBreakerOpensAfterConsecutiveFailuresAndThenFailsAtOnceWithRetryAfter() {
    for (int i = 0; i < 10; i++) {
      sap.failures.add(unavailable());
    }
    assertThatThrownBy(() -> backend.read("1")).isInstanceOf(SapException.class); // 4 failures

    assertThatThrownBy(() -> backend.read("1")).isInstanceOfSatisfying(SapException.class, e -> {
      assertThat(e.code()).isEqualTo(SapErrorCodes.BREAKER_OPEN);
      assertThat(e.retryAfter()).isPresent();
    });
    assertThat(sap.calls).hasSize(5); // the second read: one failure opens the breaker, its retry is refused
    assertThat(resilience.breakerStatus().state()).isEqualTo(BreakerState.OPEN);

    clock.advance(Duration.ofSeconds(30));
    sap.failures.clear();
    assertThat(resilience.breakerStatus().state()).isEqualTo(BreakerState.HALF_OPEN);
    org.assertj.core.api.Assertions.assertThatCode(() -> backend.read("1")).doesNotThrowAnyException();
    assertThat(resilience.breakerStatus().state()).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void anInterruptDuringThePauseEndsTheRetriesAndKeepsTheFlag() {
    Calls interrupted = new Calls(new Resilience("scripted", ResilienceSettings.defaults(), clock, d -> {
      throw new InterruptedException();
    }, () -> 0.5));
    sap.failures.add(unavailable());
    try {
      assertThatThrownBy(() -> interrupted.read("1")).isInstanceOfSatisfying(SapException.class,
          e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(sap.calls).containsExactly("read");
    } finally {
      Thread.interrupted();
    }
  }

  private static Customer customer(String externalId) {
    return Customer.builder().externalId(externalId).name("Muster GmbH").build();
  }

  /**
   * Customer calls through {@code resilience}, as the customer executor shapes them: a create is looked up by its
   * externalId, else by its correlation, else not at all.
   */
  private final class Calls {
    private final SapCalls layers;

    Calls(Resilience resilience) {
      this.layers = SapCalls.of(resilience);
    }

    Customer read(String customerNumber) throws SapException {
      return layers.run(SapCall.repeatable("read", SUBJECT, () -> sap.read(customerNumber)));
    }

    Customer update(String customerNumber, CustomerPatch patch) throws SapException {
      return layers.run(SapCall.repeatable("update", SUBJECT, () -> sap.update(customerNumber, patch)));
    }

    Customer create(Customer customer) throws SapException {
      return create(customer, null);
    }

    Customer create(Customer customer, Correlation correlation) throws SapException {
      SapCall.Work<Customer> work = () -> sap.create(customer);
      String externalId = customer.externalId();
      if (externalId != null) {
        return layers.run(SapCall.create("create", SUBJECT, work,
            SapCall.repeatable("find", SUBJECT, () -> sap.findByExternalId(externalId)), "externalId " + externalId));
      }
      if (correlation != null) {
        return layers.run(SapCall.create("create", SUBJECT, work,
            SapCall.repeatable("find", SUBJECT, () -> sap.findByCorrelation(correlation)), correlation.toString()));
      }
      return layers.run(SapCall.create("create", SUBJECT, work, null,
          "the customer has no externalId and the agent's sap.correlation-field is none"));
    }
  }

  private static final String SUBJECT = "the customer";

  /** SAP that fails as scripted, then answers. */
  private static final class ScriptedSap {
    final Deque<SapException> failures = new ArrayDeque<>();
    final List<String> calls = new ArrayList<>();
    Customer createdMeanwhile;

    private void next(String call) throws SapException {
      calls.add(call);
      SapException f = failures.poll();
      if (f != null) {
        throw f;
      }
    }

    Customer create(Customer customer) throws SapException {
      next("create");
      return customer.withCustomerNumber("0000100001");
    }

    Customer read(String customerNumber) throws SapException {
      next("read");
      return Customer.builder().customerNumber("0000100001").name("A").build();
    }

    Customer update(String customerNumber, CustomerPatch patch) throws SapException {
      next("update");
      return Customer.builder().customerNumber("0000100001").name("A").build();
    }

    Optional<Customer> findByExternalId(String externalId) throws SapException {
      next("find " + externalId);
      return Optional.ofNullable(createdMeanwhile);
    }

    Optional<Customer> findByCorrelation(Correlation correlation) throws SapException {
      next("correlation " + correlation.value());
      return Optional.ofNullable(createdMeanwhile);
    }
  }
}
