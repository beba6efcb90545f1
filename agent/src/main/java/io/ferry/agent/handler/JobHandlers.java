package io.ferry.agent.handler;

import io.ferry.protocol.Action;
import java.util.EnumMap;
import java.util.Map;

/** The handler of each action the agent runs, one per business object. */
public final class JobHandlers {

  private final Map<Action, JobHandler> byAction;

  private JobHandlers(Map<Action, JobHandler> byAction) {
    this.byAction = byAction;
  }

  /** @throws IllegalArgumentException when two handlers claim the same action */
  public static JobHandlers of(JobHandler... handlers) {
    Map<Action, JobHandler> byAction = new EnumMap<>(Action.class);
    for (JobHandler h : handlers) {
      for (Action a : h.actions()) {
        JobHandler before = byAction.put(a, h);
        if (before != null) {
          throw new IllegalArgumentException("two handlers for " + a.wireName() + ": " + before + " and " + h);
        }
      }
    }
    return new JobHandlers(byAction);
  }

  /** The handler of {@code action}; the refusal of a job nobody here runs otherwise. */
  public JobHandler forAction(Action action) throws JobRefused {
    JobHandler h = action == null ? null : byAction.get(action);
    if (h == null) {
      throw JobRefused.invalid("this agent has no handler for the action " + (action == null ? "(none)"
          : action.wireName()) + "; update the agent to a version that knows it");
    }
    return h;
  }
}
