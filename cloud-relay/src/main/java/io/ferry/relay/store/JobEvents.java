package io.ferry.relay.store;

/**
 * What another relay instance sharing the store did, as this instance hears it (PostgreSQL
 * LISTEN/NOTIFY). Called on the listening thread: implementations must not block.
 */
public interface JobEvents {

  /** A job of the tenant for {@code agentGroup} (null: any of its agents) entered the queue. */
  void queued(String tenantId, String agentGroup);

  /** A job reached a final state. */
  void ended(String jobId);

  /** An agent told another relay that it stops ({@code DELETE /agent/v1/poll}), or was disabled there, at {@code at}. */
  default void agentLeft(String tenantId, String agentId, java.time.Instant at) {}

  /**
   * Notifications may have been lost (the listening connection broke and was made again): look at the
   * store for what they would have said.
   */
  void resync();

  /** Told that an agent left on another relay: see {@link #agentLeft}. */
  @FunctionalInterface
  interface AgentLeft {
    void agentLeft(String tenantId, String agentId, java.time.Instant at);
  }

  /** These events, with {@code first} told of each agent that left before this is. */
  default JobEvents onAgentLeftFirst(AgentLeft first) {
    JobEvents rest = this;
    return new JobEvents() {
      @Override
      public void queued(String tenantId, String agentGroup) {
        rest.queued(tenantId, agentGroup);
      }

      @Override
      public void ended(String jobId) {
        rest.ended(jobId);
      }

      @Override
      public void resync() {
        rest.resync();
      }

      @Override
      public void agentLeft(String tenantId, String agentId, java.time.Instant at) {
        first.agentLeft(tenantId, agentId, at);
        rest.agentLeft(tenantId, agentId, at);
      }
    };
  }
}
