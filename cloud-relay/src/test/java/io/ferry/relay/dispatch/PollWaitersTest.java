package io.ferry.relay.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Guards against leasing a job to a poll whose connection is already gone. */
class PollWaitersTest {

  private final PollWaiters polls = new PollWaiters();

  @Test
  void aNewerPollOfTheSameAgentRetiresTheOlderOne() {
    PollWaiters.Waiter older = polls.register("agent-1", "t1", "default");
    PollWaiters.Waiter newer = polls.register("agent-1", "t1", "default");

    assertThat(older.signal.getNow(null)).isEqualTo(Signal.CLOSED);
    assertThat(polls.wakeOne("t1", null)).isTrue();
    assertThat(newer.signal.getNow(null)).isEqualTo(Signal.WOKEN);
  }

  @Test
  void theLongestParkedPollIsHandedTheJobWhenOthersLeftFromTheMiddle() {
    PollWaiters.Waiter first = polls.register("agent-1", "t1", "default");
    PollWaiters.Waiter second = polls.register("agent-2", "t1", "default");
    PollWaiters.Waiter third = polls.register("agent-3", "t1", "default");
    polls.remove(second);
    first.signal.complete(Signal.TIMEOUT); // its hold ran out, not yet removed
    polls.remove(first);

    assertThat(polls.size()).isEqualTo(1);
    assertThat(polls.reserve("t1", null, null)).isSameAs(third);
    assertThat(polls.reserve("t1", null, null)).as("one job per parked poll").isNull();
  }

  @Test
  void aReleasedAgentIsNotWokenForAJob() {
    PollWaiters.Waiter stopping = polls.register("agent-1", "t1", "default");
    PollWaiters.Waiter other = polls.register("agent-2", "t1", "default");

    polls.release("agent-1", null);

    assertThat(stopping.signal.getNow(null)).isEqualTo(Signal.CLOSED);
    assertThat(polls.wakeOne("t1", null)).isTrue();
    assertThat(other.signal.getNow(null)).isEqualTo(Signal.WOKEN);
  }

  @Test
  void removingAnOldWaiterKeepsTheAgentsCurrentOne() {
    PollWaiters.Waiter older = polls.register("agent-1", "t1", "default");
    PollWaiters.Waiter newer = polls.register("agent-1", "t1", "default");
    polls.remove(older);

    polls.release("agent-1", null);
    assertThat(newer.signal.getNow(null)).isEqualTo(Signal.CLOSED);
  }

  @Test
  void aPollOfAStoppedRunThatArrivesAfterTheGoodbyeIsRecognised() {
    polls.release("agent-1", "run-a");

    assertThat(polls.isStopped("run-a")).isTrue();
    assertThat(polls.isStopped("run-b")).as("the agent's next run polls normally").isFalse();
    assertThat(polls.isStopped(null)).isFalse();
  }
}
