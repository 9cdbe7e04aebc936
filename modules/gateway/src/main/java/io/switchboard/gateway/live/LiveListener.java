package io.switchboard.gateway.live;

import io.vertx.core.Context;

/** Receives each conflation tick on its own event loop. */
public interface LiveListener {

  Context context();

  void onTick(LiveTick tick);
}
