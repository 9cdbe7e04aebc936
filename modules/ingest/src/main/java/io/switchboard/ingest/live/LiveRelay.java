package io.switchboard.ingest.live;

import io.switchboard.core.event.Addresses;
import io.switchboard.core.position.Fix;
import io.switchboard.core.position.FixBatchCodec;
import io.switchboard.core.position.LatestPositions;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Hands accepted live fixes to every node: every publish window (default 5 ms) the fixes gathered from all
 * event loops go out as one binary batch on the clustered event bus, and the newest per driver to Redis. The
 * gateways conflate; this only keeps the bus from carrying one message per fix.
 */
public final class LiveRelay {

  private static final Logger LOG = LoggerFactory.getLogger(LiveRelay.class);

  private final Vertx vertx;
  private final LatestPositions latest;
  private final long windowMs;
  private final ConcurrentLinkedQueue<Fix> pending = new ConcurrentLinkedQueue<>();
  private long timer = -1;
  private volatile boolean redisHealthy = true;
  private long lastRedisWarning;

  public LiveRelay(Vertx vertx, LatestPositions latest, long windowMs) {
    this.vertx = vertx;
    this.latest = latest;
    this.windowMs = windowMs;
  }

  public void offer(Fix f) {
    pending.add(f);
  }

  /** Starts publishing on the calling context. */
  public void start() {
    timer = vertx.setPeriodic(Math.max(1, windowMs), t -> publish());
  }

  public void stop() {
    vertx.cancelTimer(timer);
    publish();
  }

  /** False while the latest positions cannot be written to Redis (the live streams still flow). */
  public boolean redisHealthy() {
    return redisHealthy;
  }

  private void publish() {
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
