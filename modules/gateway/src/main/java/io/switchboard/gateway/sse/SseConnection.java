package io.switchboard.gateway.sse;

import io.switchboard.core.auth.Principal;
import io.switchboard.gateway.access.Watched;
import io.switchboard.gateway.feed.EncodedEvent;
import io.switchboard.gateway.feed.EventView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
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
final class SseConnection implements Watched {

  private static final Logger LOG = LoggerFactory.getLogger(SseConnection.class);

  private final RawChannel raw;
  private final Principal principal;
  private final EventView view;
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

  SseConnection(RawChannel raw, Principal principal, EventView view, List<String> channels, int format,
                int maxBufferBytes, String owner, String client) {
    this.principal = principal;
    this.view = view;
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

  /**
   * The tenant this stream counts for: its token's, or, for an anonymous stream, that of the public channel it
   * follows ({@code stock:{t}}).
   */
  String tenant() {
    if (principal != null) {
      return principal.tenant();
    }
    for (String c : channels) {
      if (c.startsWith("stock:")) {
        int end = c.indexOf(':', 6);
        return end < 0 ? c.substring(6) : c.substring(6, end);
      }
    }
    return "";
  }

  /** The client address this stream counts against. */
  String client() {
    return client;
  }

  @Override
  public Principal principal() {
    return principal;
  }

  @Override
  public List<String> channels() {
    return channels;
  }

  /** The id of the last event written to this stream. */
  long lastSent() {
    return lastSent;
  }

  /** The chunk of {@code e} as this stream sees it (its view, its format); null when it shows nothing of it. */
  ByteBuffer chunkOf(EncodedEvent e) {
    EncodedEvent seen = view.apply(e);
    return seen == null ? null : seen.chunk(format);
  }

  /** The family and naming of this stream's frames ({@link io.switchboard.core.dialect.Family#format}). */
  int format() {
    return format;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  /** Queues a live event unflushed. Returns true when the connection needs a flush. */
  boolean offer(EncodedEvent e) {
    ByteBuffer chunk = admit(e);
    if (chunk == null) {
      return false;
    }
    raw.write(chunk);
    return true;
  }

  /** Sends a live event at once: the whole dispatch is this one event, so there is nothing to share a write with. */
  void deliver(EncodedEvent e) {
    ByteBuffer chunk = admit(e);
    if (chunk != null) {
      raw.writeAndFlush(chunk);
    }
  }

  /** The chunk to write for a live event, or null: already sent, not shown, held back, or the client cut off. */
  private ByteBuffer admit(EncodedEvent e) {
    if (closed || e.seq() <= lastSent) {
      return null;
    }
    ByteBuffer chunk = chunkOf(e);
    if (chunk == null) {
      return null; // this family (or this stream's view) does not show the event
    }
    if (!live) {
      held.add(e);
      heldBytes += chunk.limit();
      if (heldBytes > maxBufferBytes) {
        cutOff();
      }
      return null;
    }
    if (!raw.isWritable()) {
      cutOff();
      return null;
    }
    lastSent = e.seq();
    return chunk;
  }

  /**
   * Queues a live position frame unflushed, once the stream's latest positions went out first. Returns true when
   * the connection needs a flush. A client that cannot keep up is cut off, as for events: on reconnect it gets
   * the latest positions first.
   */
  boolean offerLive(ByteBuffer chunk) {
    return writeUnnumbered(chunk, positionsReady);
  }

  /**
   * Queues a transient event (no sequence number) unflushed, once the stream is live: it cannot be replayed, so a
   * stream still replaying, or one that reconnects, simply does not see it.
   */
  boolean offerTransient(ByteBuffer chunk) {
    return writeUnnumbered(chunk, live);
  }

  private boolean writeUnnumbered(ByteBuffer chunk, boolean ready) {
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
  void startPositions(List<ByteBuffer> latest) {
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
  void writeNow(List<ByteBuffer> chunks) {
    if (closed) {
      return;
    }
    for (ByteBuffer c : chunks) {
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
        ByteBuffer chunk = chunkOf(e);
        if (chunk != null) {
          raw.write(chunk);
        }
      }
    }
    held.clear();
    heldBytes = 0;
    raw.flush();
  }

  boolean writable() {
    return raw.isWritable();
  }

  void heartbeat(ByteBuffer comment) {
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
  void end(ByteBuffer hintChunk, ByteBuffer lastChunk) {
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
