package io.ferry.agent.sap.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import io.ferry.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The breaker's transitions, with time moved by hand. */
class CircuitBreakerTest {

  private final ManualClock clock = new ManualClock();
  private final CircuitBreaker breaker = new CircuitBreaker("bapi", 3, Duration.ofSeconds(30), clock);

  private void fail(int times) throws SapException {
    for (int i = 0; i < times; i++) {
      breaker.acquire();
      breaker.failed();
    }
  }

  @Test
  void staysClosedBelowTheThresholdAndAnAnswerResetsTheCount() throws SapException {
    fail(2);
    breaker.acquire();
    breaker.answered();
    fail(2);

    assertThat(breaker.status().state()).isEqualTo(BreakerState.CLOSED);
    assertThat(breaker.status().consecutiveFailures()).isEqualTo(2);
  }

  @Test
  void opensAfterTheThresholdAndRefusesAtOnceWithTheRemainingCoolDown() throws SapException {
    fail(3);
    clock.advance(Duration.ofSeconds(10));

    assertThat(breaker.status().state()).isEqualTo(BreakerState.OPEN);
    assertThatThrownBy(breaker::acquire).isInstanceOfSatisfying(SapException.class, e -> {
      assertThat(e.kind()).isEqualTo(SapException.Kind.UNAVAILABLE);
      assertThat(e.code()).isEqualTo(SapErrorCodes.BREAKER_OPEN);
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(20));
      assertThat(e.getMessage()).contains("in 20 s");
    });
  }

  @Test
  void halfOpenAfterTheCoolDownLetsOneCallThroughAndItsSuccessCloses() throws SapException {
    fail(3);
    clock.advance(Duration.ofSeconds(30));

    assertThat(breaker.status().state()).isEqualTo(BreakerState.HALF_OPEN);
    breaker.acquire();
    assertThatThrownBy(breaker::acquire).isInstanceOf(SapException.class); // the trial is still running
    breaker.answered();

    assertThat(breaker.status().state()).isEqualTo(BreakerState.CLOSED);
    breaker.acquire();
  }

  @Test
  void aFailedTrialOpensForAnotherCoolDown() throws SapException {
    fail(3);
    clock.advance(Duration.ofSeconds(31));
    breaker.acquire();
    breaker.failed();

    assertThat(breaker.status().state()).isEqualTo(BreakerState.OPEN);
    assertThat(breaker.status().openUntil()).isEqualTo(clock.instant().plusSeconds(30));
    clock.advance(Duration.ofSeconds(29));
    assertThatThrownBy(breaker::acquire).isInstanceOf(SapException.class);
  }

  @Test
  void aTrialEndedByAnAgentFaultLetsTheNextCallTry() throws SapException {
    fail(3);
    clock.advance(Duration.ofSeconds(30));
    breaker.acquire();
    breaker.released();

    breaker.acquire();
    assertThat(breaker.status().state()).isEqualTo(BreakerState.HALF_OPEN);
  }
}
