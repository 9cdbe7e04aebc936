package io.switchboard.core.log;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A periodic job of the relay leader (retention, the outbox vacuum): started when this node leads, paused when
 * it steps down, and never overlapping itself; a tick that finds the previous run still going is skipped, as
 * the next one will do the same work. A zero interval never runs it.
 */
final class LeaderChore {

  private final Vertx vertx;
  private final Duration interval;
  private final Supplier<Future<?>> job;
  private long timer = -1;
  private boolean running;

  LeaderChore(Vertx vertx, Duration interval, Supplier<Future<?>> job) {
    this.vertx = vertx;
    this.interval = interval;
    this.job = job;
  }

  void start() {
    if (timer < 0 && !interval.isZero()) {
      timer = vertx.setPeriodic(interval.toMillis(), t -> tick());
    }
  }

  void pause() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** False once paused: a job working in steps stops between them. */
  boolean active() {
    return timer >= 0;
  }

  private void tick() {
    if (running) {
      return;
    }
    running = true;
    job.get().onComplete(ar -> running = false);
  }
}
