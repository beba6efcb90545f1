package io.ferry.agent.handler;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per key, made when first needed and dropped when nobody holds or waits for it. Upserts of
 * the same external id take turns inside this agent, so two at once cannot both find nothing in SAP and
 * both create.
 */
public final class KeyedLocks {

  /** A held lock; closing it releases it. */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    int users;
  }

  private final ConcurrentHashMap<String, Entry> locks = new ConcurrentHashMap<>();

  public Held lock(String key) throws InterruptedException {
    Entry entry = locks.compute(key, (k, e) -> {
      Entry held = e == null ? new Entry() : e;
      held.users++;
      return held;
    });
    try {
      entry.lock.lockInterruptibly();
    } catch (InterruptedException e) {
      release(key);
      throw e;
    }
    return () -> {
      entry.lock.unlock();
      release(key);
    };
  }

  /** Keys with a lock held or awaited; for tests. */
  int size() {
    return locks.size();
  }

  private void release(String key) {
    locks.computeIfPresent(key, (k, e) -> --e.users == 0 ? null : e);
  }
}
