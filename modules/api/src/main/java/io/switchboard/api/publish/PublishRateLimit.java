package io.switchboard.api.publish;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per token subject, on this node: {@code rate} events per second with bursts of {@code burst}.
 * Buckets of idle subjects are dropped, so the map stays as small as the set of active publishers.
 */
final class PublishRateLimit {

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
  }

  PublishRateLimit(int rate, int burst) {
    this.rate = rate;
    this.burst = Math.max(burst, rate);
  }

  boolean enabled() {
    return rate > 0;
  }

  /** 0 when the event may go; otherwise the seconds to wait before the next one would. */
  long take(String subject) {
    if (!enabled()) {
      return 0;
    }
    long now = System.nanoTime();
    Bucket b = buckets.computeIfAbsent(subject, k -> new Bucket(burst, now));
    synchronized (b) {
      b.tokens = Math.min(burst, b.tokens + (now - b.refilledAt) / 1e9 * rate);
      b.refilledAt = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - b.tokens) / rate));
    }
  }

  /** Drops buckets that have refilled completely: their subjects are idle. */
  void forgetIdle() {
    long now = System.nanoTime();
    buckets.entrySet().removeIf(e -> {
      synchronized (e.getValue()) {
        return e.getValue().tokens + (now - e.getValue().refilledAt) / 1e9 * rate >= burst;
      }
    });
  }
}
