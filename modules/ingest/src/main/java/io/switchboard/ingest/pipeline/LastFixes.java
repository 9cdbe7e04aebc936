package io.switchboard.ingest.pipeline;

import io.switchboard.core.position.Fix;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest known fix of every driver, from this node's own ingest and from every other node's live batches
 * (a driver behind a round-robin balancer posts to all nodes), so duplicate, speed and order checks see the
 * whole cluster's view, a few milliseconds late at most.
 */
public final class LastFixes {

  private final ConcurrentHashMap<String, Fix> newest = new ConcurrentHashMap<>();

  public Fix get(String driverId) {
    return newest.get(driverId);
  }

  /** Records {@code f} if it is newer than what is known. */
  public void offer(Fix f) {
    newest.merge(f.driverId(), f, (old, neu) -> neu.fixedAtMillis() > old.fixedAtMillis() ? neu : old);
  }

  /** Forgets drivers silent since before {@code cutoffMillis}. */
  public void forgetOlderThan(long cutoffMillis) {
    newest.values().removeIf(f -> f.fixedAtMillis() < cutoffMillis);
  }

  public int size() {
    return newest.size();
  }
}
