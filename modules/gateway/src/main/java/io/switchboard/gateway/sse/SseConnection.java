package io.switchboard.gateway.sse;

import io.switchboard.gateway.feed.EncodedEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Where events are written to a socket: one client's SSE stream. Lives on one event loop.
 *
 * <p>While its missed events are being replayed the connection holds live events back (bounded), then switches
 * to live; {@code lastSent} makes delivery exactly-once across replay, live and multi-channel overlap. Frames
 * pending within one dispatch (or flush window) are coalesced into one write; a single frame is written as the
 * shared, pre-encoded buffer. A client whose socket buffer is full is cut off: it resumes on reconnect.
 */
final class SseConnection {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SseConnection.class);

  private final HttpServerResponse response;
  private final io.vertx.core.http.HttpConnection connection;
  private final List<String> channels;
  private final boolean named;
  private final int maxBufferBytes;
  private final ArrayDeque<EncodedEvent> held = new ArrayDeque<>();
  private int heldBytes;
  private long lastSent;
  private boolean live;
  private boolean closed;
  private Buffer pending;
  private boolean pendingShared;
  boolean dirty;

  SseConnection(HttpServerResponse response, io.vertx.core.http.HttpConnection connection, List<String> channels,
                boolean named, int maxBufferBytes) {
    this.response = response;
    this.connection = connection;
    this.channels = channels;
    this.named = named;
    this.maxBufferBytes = maxBufferBytes;
  }

  List<String> channels() {
    return channels;
  }

  boolean named() {
    return named;
  }

  boolean isClosed() {
    return closed;
  }

  long lastSent() {
    return lastSent;
  }

  /** Queues a live event. Returns true when something became pending for the next flush. */
  boolean offer(EncodedEvent e) {
    if (closed || e.seq() <= lastSent) {
      return false;
    }
    if (!live) {
      held.add(e);
      heldBytes += e.frame(named).length();
      if (heldBytes > maxBufferBytes) {
        cutOff();
      }
      return false;
    }
    lastSent = e.seq();
    append(e.frame(named));
    return true;
  }

  /** Writes a frame outside the event sequence (connected, reset, replay page) right away. */
  void writeNow(Buffer frame) {
    append(frame);
    write(true);
  }

  /** Replay done up to {@code throughSeq}: release held live events and go live. */
  void goLive(long throughSeq) {
    lastSent = Math.max(lastSent, throughSeq);
    live = true;
    for (EncodedEvent e : held) {
      if (e.seq() > lastSent) {
        lastSent = e.seq();
        append(e.frame(named));
      }
    }
    held.clear();
    heldBytes = 0;
    write(true);
  }

  void markReplayed(long seq) {
    lastSent = Math.max(lastSent, seq);
  }

  boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  void drainHandler(io.vertx.core.Handler<Void> handler) {
    response.drainHandler(handler);
  }

  void flush() {
    dirty = false;
    write(false);
  }

  /**
   * {@code force}: replay and control frames are written even above the buffer bound (they are bounded by the
   * replay page); live frames to a client whose buffer is full cut the client off instead.
   */
  private void write(boolean force) {
    if (pending == null || closed) {
      pending = null;
      return;
    }
    if (!force && response.writeQueueFull()) {
      cutOff();
      return;
    }
    Buffer out = pending;
    pending = null;
    response.write(out);
  }

  void heartbeat(Buffer comment) {
    if (!closed && pending == null) {
      if (response.writeQueueFull()) {
        cutOff();
      } else {
        response.write(comment);
      }
    }
  }

  /** Ends the stream politely: tells the client how soon to come back, then closes. */
  void end(Buffer retryHint) {
    if (!closed) {
      closed = true;
      response.end(retryHint);
    }
  }

  void cutOff() {
    if (!closed) {
      LOG.info("Cutting off a client that cannot keep up (channels {}, last id {}); it resumes on reconnect",
          channels, lastSent);
      closed = true;
      pending = null;
      held.clear();
      HardClose.close(connection);
    }
  }

  void markClosed() {
    closed = true;
  }

  private void append(Buffer frame) {
    if (pending == null) {
      pending = frame;
      pendingShared = true;
    } else {
      if (pendingShared) {
        pending = Buffer.buffer(pending.length() + frame.length() * 4).appendBuffer(pending);
        pendingShared = false;
      }
      pending.appendBuffer(frame);
    }
  }
}
