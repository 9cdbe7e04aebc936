package io.switchboard.ingest.history;

import io.switchboard.core.position.Fix;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepted positions on their way to PostgreSQL, bounded. A point counts against the bound from the moment it
 * is accepted until its batch has committed, so when the database is slow or down the buffer fills, posts get
 * 503, and memory stays bounded; nothing accepted is dropped.
 */
public final class HistoryBuffer {

  private final int capacity;
  private final AtomicInteger held = new AtomicInteger();
  private final ConcurrentLinkedQueue<Fix> queue = new ConcurrentLinkedQueue<>();

  public HistoryBuffer(int capacity) {
    this.capacity = capacity;
  }

  /** Takes all of {@code fixes} or none (false: no room). Safe from any thread. */
  public boolean tryAdd(List<Fix> fixes) {
    int n = fixes.size();
    while (true) {
      int h = held.get();
      if (h + n > capacity) {
        return false;
      }
      if (held.compareAndSet(h, h + n)) {
        break;
      }
    }
    queue.addAll(fixes);
    return true;
  }

  /** Up to {@code max} queued points, still held against the bound until {@link #committed}. */
  List<Fix> take(int max) {
    List<Fix> out = new ArrayList<>(Math.min(max, 1024));
    Fix f;
    while (out.size() < max && (f = queue.poll()) != null) {
      out.add(f);
    }
    return out;
  }

  void committed(int n) {
    held.addAndGet(-n);
  }

  /** Points accepted and not yet committed. */
  public int held() {
    return held.get();
  }

  public int capacity() {
    return capacity;
  }

  boolean hasQueued() {
    return !queue.isEmpty();
  }
}
