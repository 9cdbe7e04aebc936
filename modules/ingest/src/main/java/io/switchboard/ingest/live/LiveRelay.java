package io.switchboard.ingest.live;

import io.switchboard.core.event.Addresses;
import io.switchboard.core.position.Fix;
import io.switchboard.core.position.FixBatchCodec;
import io.switchboard.core.position.LatestPositions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands accepted live fixes to every node: the fixes gathered from all event loops during one publish window
 * (default 5 ms, opened by the first fix) go out as one binary batch on the clustered event bus, and the newest
 * per driver to Redis. The gateways conflate; this only keeps the bus from carrying one message per fix.
 *
 * <p>The window is a one-shot timer armed by the first fix, not a periodic one: a node without GPS traffic does
 * not wake up 200 times a second for nothing (about a third of an idle node's event-loop CPU, docs/benchmarks.md).
 */
public final class LiveRelay {

  private static final Logger LOG = LoggerFactory.getLogger(LiveRelay.class);

  private final Vertx vertx;
  private final LatestPositions latest;
  private final long windowMs;
  private final ConcurrentLinkedQueue<Fix> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean armed = new AtomicBoolean();
  private volatile Context context;
  private volatile boolean stopped;
  private volatile boolean redisHealthy = true;
  private long lastRedisWarning;

  public LiveRelay(Vertx vertx, LatestPositions latest, long windowMs) {
    this.vertx = vertx;
    this.latest = latest;
    this.windowMs = windowMs;
  }

  /** From any event loop. The first fix of a window arms the window's timer on the relay's context. */
  public void offer(Fix f) {
    pending.add(f);
    if (!stopped && armed.compareAndSet(false, true)) {
      context.runOnContext(v -> vertx.setTimer(Math.max(1, windowMs), t -> publish()));
    }
  }

  /** Starts publishing on the calling context. */
  public void start() {
    context = vertx.getOrCreateContext();
  }

  public void stop() {
    stopped = true;
    publish();
  }

  /** False while the latest positions cannot be written to Redis (the live streams still flow). */
  public boolean redisHealthy() {
    return redisHealthy;
  }

  private void publish() {
    // Disarm before draining: a fix offered from here on opens the next window.
    armed.set(false);
    if (pending.isEmpty()) {
      return;
    }
    List<Fix> batch = new ArrayList<>();
    Fix f;
    while ((f = pending.poll()) != null) {
      batch.add(f);
    }
    vertx.eventBus().publish(Addresses.LIVE_POSITIONS, FixBatchCodec.encode(batch));
    latest.store(batch).onComplete(ar -> {
      redisHealthy = ar.succeeded();
      if (ar.failed() && System.currentTimeMillis() - lastRedisWarning > 10_000) {
        lastRedisWarning = System.currentTimeMillis();
        LOG.warn("Cannot store latest positions in Redis: {}", ar.cause().getMessage());
      }
    });
  }
}
