package io.switchboard.gateway.fanout;

import io.switchboard.gateway.access.Watched;
import io.switchboard.gateway.feed.EncodedEvent;
import io.switchboard.gateway.live.LiveFrame;

/**
 * One receiver of the node's events on one event loop, whatever its transport: an SSE stream, a Socket.IO
 * socket. The {@link Fanout} hands it every event of its channels, in sequence order; what reaches the client,
 * in which encoding and when, is the subscriber's business.
 */
public interface Subscriber extends Watched {

  /** Queues a live event without flushing. Returns true when the subscriber needs a {@link #flush}. */
  boolean offer(EncodedEvent e);

  /** A dispatch of this one event: written and flushed at once, nothing to share a write with. */
  void deliver(EncodedEvent e);

  /** Queues an event outside the log (no sequence number), unflushed; true when a flush is needed. */
  boolean offerTransient(EncodedEvent e);

  /** Queues a live position frame, unflushed; true when a flush is needed. */
  boolean offerLive(LiveFrame frame);

  /** Sends what was queued. */
  void flush();

  /** Closes at once, because it cannot keep up or something failed; the client resumes when it reconnects. */
  void cutOff();

  /** Marks it as needing a flush in the current dispatch: true the first time, so it is listed once. */
  boolean markTouched();

  /** Its transport, for {@link OpenStreams}: {@code sse}, {@code socketio} or {@code poll}. */
  String transport();

  /** Its endpoint family's label, for {@link OpenStreams}. */
  String family();
}
