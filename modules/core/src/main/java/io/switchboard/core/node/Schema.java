package io.switchboard.core.node;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Whether the node's migrations have been applied. Nothing waits for PostgreSQL at start: what needs the schema
 * (the relay, domain writes) waits for {@link #ready()} or answers 503 until {@link #isReady()}.
 */
public final class Schema {

  private final Promise<Void> applied = Promise.promise();

  public void applied() {
    applied.tryComplete();
  }

  public boolean isReady() {
    return applied.future().succeeded();
  }

  public Future<Void> ready() {
    return applied.future();
  }
}
