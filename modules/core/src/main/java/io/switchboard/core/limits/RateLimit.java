package io.switchboard.core.limits;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key (a token subject, a client address), on this node: {@code rate} per second with bursts of
 * {@code burst}. Buckets of idle keys are dropped by {@link #forgetIdle}, so the map stays as small as the set of
 * keys active right now. Safe from any event loop.
 */
public final class RateLimit {

  private final double rate;
  private final double burst;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long refilledAt;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilledAt = now;
    }

    void refill(long now, double rate, double burst) {
      tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * rate);
      refilledAt = now;
    }
  }

  /** {@code rate} of 0 or less: no limit. */
  public RateLimit(double rate, int burst) {
    this.rate = rate;
    this.burst = Math.max(Math.max(burst, rate), 1);
  }

  public boolean enabled() {
    return rate > 0;
  }

  /** 0 when the key may go on (a token is taken); otherwise the whole seconds to wait before the next one would. */
  public long take(String key) {
    if (!enabled()) {
      return 0;
    }
    long now = System.nanoTime();
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    synchronized (b) {
      b.refill(now, rate, burst);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return waitSeconds(b);
    }
  }

  /** 0 when the key has a token left (none is taken); otherwise the seconds until it will. */
  public long exhausted(String key) {
    if (!enabled()) {
      return 0;
    }
    Bucket b = buckets.get(key);
    if (b == null) {
      return 0;
    }
    synchronized (b) {
      b.refill(System.nanoTime(), rate, burst);
      return b.tokens >= 1 ? 0 : waitSeconds(b);
    }
  }

  private long waitSeconds(Bucket b) {
    return Math.max(1, (long) Math.ceil((1 - b.tokens) / rate));
  }

  /** Drops buckets that have refilled completely: their keys are idle. Call periodically. */
  public void forgetIdle() {
    long now = System.nanoTime();
    buckets.entrySet().removeIf(e -> {
      synchronized (e.getValue()) {
        return e.getValue().tokens + (now - e.getValue().refilledAt) / 1e9 * rate >= burst;
      }
    });
  }
}
