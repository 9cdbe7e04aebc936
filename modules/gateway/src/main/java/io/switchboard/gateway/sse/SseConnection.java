package io.switchboard.gateway.sse;

import io.netty.buffer.ByteBuf;
import io.switchboard.gateway.feed.EncodedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Where events are written to a socket: one client's SSE stream. Lives on its connection's event loop.
 *
 * <p>While its missed events are replayed the connection holds live events back (bounded), then goes live;
 * {@code lastSent} makes delivery exactly-once across replay, live and multi-channel overlap. Live frames of one
 * dispatch are written without flushing and flushed once by the endpoint, so they leave in one syscall. A client
 * whose unsent bytes pass the bound is cut off at once: it resumes from its last id when it reconnects.
 */
final class SseConnection {

  private static final Logger LOG = LoggerFactory.getLogger(SseConnection.class);

  private final RawChannel raw;
  private final List<String> channels;
  private final int format;
  private final String owner;
  private final String client;
  private final int maxBufferBytes;
  private final ArrayDeque<EncodedEvent> held = new ArrayDeque<>();
  private int heldBytes;
  private long lastSent;
  private boolean live;
  private boolean positionsReady;
  private boolean closed;
  boolean dirty;

  SseConnection(RawChannel raw, List<String> channels, int format, int maxBufferBytes, String owner,
                String client) {
    this.owner = owner;
    this.client = client;
    this.raw = raw;
    this.channels = channels;
    this.format = format;
    this.maxBufferBytes = maxBufferBytes;
  }

  /** Whose stream this is ({@code tenant/sub}), for the per-user quota; null on anonymous streams. */
  String owner() {
    return owner;
  }

  /** The client address this stream counts against. */
  String client() {
    return client;
  }

  List<String> channels() {
    return channels;
  }

  /** The family and naming of this stream's frames ({@link io.switchboard.core.dialect.Family#format}). */
  int format() {
    return format;
  }

  boolean isClosed() {
    return closed;
  }

  /** Queues a live event unflushed. Returns true when the connection needs a flush. */
  boolean offer(EncodedEvent e) {
    if (closed || e.seq() <= lastSent) {
      return false;
    }
    if (!live) {
      ByteBuf chunk = e.chunk(format);
      if (chunk == null) {
        return false;
      }
      held.add(e);
      heldBytes += chunk.readableBytes();
      if (heldBytes > maxBufferBytes) {
        cutOff();
      }
      return false;
    }
    ByteBuf chunk = e.chunk(format);
    if (chunk == null) {
      return false; // this family does not show the event
    }
    if (!raw.isWritable()) {
      cutOff();
      return false;
    }
    lastSent = e.seq();
    raw.write(chunk);
    return true;
  }

  /**
   * Queues a live position frame unflushed, once the stream's latest positions went out first. Returns true when
   * the connection needs a flush. A client that cannot keep up is cut off, as for events: on reconnect it gets
   * the latest positions first.
   */
  boolean offerLive(ByteBuf chunk) {
    return writeUnnumbered(chunk, positionsReady);
  }

  /**
   * Queues a transient event (no sequence number) unflushed, once the stream is live: it cannot be replayed, so a
   * stream still replaying, or one that reconnects, simply does not see it.
   */
  boolean offerTransient(ByteBuf chunk) {
    return writeUnnumbered(chunk, live);
  }

  private boolean writeUnnumbered(ByteBuf chunk, boolean ready) {
    if (closed || !ready) {
      return false;
    }
    if (!raw.isWritable()) {
      cutOff();
      return false;
    }
    raw.write(chunk);
    return true;
  }

  /** Writes the latest positions (a snapshot), after which live position frames flow. */
  void startPositions(List<ByteBuf> latest) {
    if (closed) {
      return;
    }
    if (!latest.isEmpty()) {
      writeNow(latest);
    }
    positionsReady = true;
  }

  void flush() {
    dirty = false;
    if (!closed) {
      raw.flush();
    }
  }

  /** Writes and flushes frames outside the live sequence (connected, reset, a replay page). */
  void writeNow(List<ByteBuf> chunks) {
    if (closed) {
      return;
    }
    for (ByteBuf c : chunks) {
      raw.write(c);
    }
    raw.flush();
  }

  void markReplayed(long seq) {
    lastSent = Math.max(lastSent, seq);
  }

  /** Replay done up to {@code throughSeq}: release held live events and go live. */
  void goLive(long throughSeq) {
    if (closed) {
      return;
    }
    lastSent = Math.max(lastSent, throughSeq);
    live = true;
    for (EncodedEvent e : held) {
      if (e.seq() > lastSent) {
        lastSent = e.seq();
        raw.write(e.chunk(format));
      }
    }
    held.clear();
    heldBytes = 0;
    raw.flush();
  }

  boolean writable() {
    return raw.isWritable();
  }

  void heartbeat(ByteBuf comment) {
    if (closed) {
      return;
    }
    if (!raw.isWritable()) {
      cutOff();
      return;
    }
    raw.write(comment);
    raw.flush();
  }

  /** Ends the stream politely: a reconnect hint and the last chunk, then the socket is closed. */
  void end(ByteBuf hintChunk, ByteBuf lastChunk) {
    if (!closed) {
      closed = true;
      raw.write(hintChunk);
      raw.write(lastChunk);
      raw.flush();
      raw.close();
    }
  }

  void cutOff() {
    if (!closed) {
      LOG.info("Cutting off a client that cannot keep up (channels {}, last id {}); it resumes on reconnect",
          channels, lastSent);
      closed = true;
      held.clear();
      raw.close();
    }
  }

  void markClosed() {
    closed = true;
  }
}
