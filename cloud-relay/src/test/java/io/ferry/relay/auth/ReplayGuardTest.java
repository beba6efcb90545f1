package io.ferry.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The session tokens' in-memory guard: single use, and when full it forgets the tokens that expire soonest. */
class ReplayGuardTest {

  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

  @Test
  void aNonceIsAcceptedOnce() {
    ReplayGuard guard = new ReplayGuard(10);
    assertThat(guard.firstUse("agent", "n1", NOW.plusSeconds(60), NOW)).isTrue();
    assertThat(guard.firstUse("agent", "n1", NOW.plusSeconds(60), NOW)).isFalse();
    assertThat(guard.firstUse("other", "n1", NOW.plusSeconds(60), NOW)).isTrue();
  }

  @Test
  void whenFullTheExpiredGoFirstThenTheHalfThatExpiresSoonestNeverTheNewest() {
    ReplayGuard guard = new ReplayGuard(100);
    // Inserted in an order unrelated to their expiry, so "the first the map iterates" is no help.
    for (int i = 0; i < 100; i++) {
      int expiresIn = (i * 37) % 100 + 1; // 1..100 s, each once
      assertThat(guard.firstUse("agent", "n" + expiresIn, NOW.plusSeconds(expiresIn), NOW)).isTrue();
    }
    assertThat(guard.firstUse("agent", "new", NOW.plusSeconds(300), NOW)).isTrue();

    assertThat(guard.size()).isLessThanOrEqualTo(52);
    for (int expiresIn = 51; expiresIn <= 100; expiresIn++) {
      assertThat(guard.remembers("agent", "n" + expiresIn)).as("expires in %d s", expiresIn).isTrue();
      assertThat(guard.firstUse("agent", "n" + expiresIn, NOW.plusSeconds(expiresIn), NOW)).isFalse();
    }
    assertThat(guard.remembers("agent", "n1")).isFalse();
    assertThat(guard.remembers("agent", "new")).isTrue();
  }

  @Test
  void expiredNoncesAreForgottenBeforeAnyStillFreshOne() {
    ReplayGuard guard = new ReplayGuard(10);
    for (int i = 0; i < 5; i++) {
      guard.firstUse("agent", "old" + i, NOW.minusSeconds(1), NOW.minusSeconds(100));
    }
    for (int i = 0; i < 5; i++) {
      guard.firstUse("agent", "fresh" + i, NOW.plusSeconds(60), NOW);
    }
    guard.firstUse("agent", "one-more", NOW.plusSeconds(60), NOW);
    for (int i = 0; i < 5; i++) {
      assertThat(guard.remembers("agent", "fresh" + i)).isTrue();
      assertThat(guard.remembers("agent", "old" + i)).isFalse();
    }
  }
}
