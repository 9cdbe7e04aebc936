package io.switchboard.gateway.feed;

import io.vertx.core.Context;

import java.util.List;

/** Receives the node's events in sequence order, without gaps or duplicates, on its own event loop. */
public interface FeedListener {

  Context context();

  void onEvents(List<EncodedEvent> events);

  /** Events outside the log (no sequence number): delivered to live streams only, in arrival order. */
  default void onTransient(List<EncodedEvent> events) {}
}
