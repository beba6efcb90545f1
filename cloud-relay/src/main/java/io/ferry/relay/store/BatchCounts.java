package io.ferry.relay.store;

/**
 * A batch's progress: {@code queued} records wait for a slot or for an agent, {@code running} ones are
 * leased to an agent; the three ends add up with them to {@code total}.
 */
public record BatchCounts(int total, int queued, int running, int succeeded, int failed, int skipped) {}
