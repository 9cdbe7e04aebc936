package io.switchboard.gateway.sse;

import io.switchboard.gateway.fanout.OpenStreams;
import io.switchboard.core.auth.Principal;
import io.switchboard.core.dialect.Family;
import io.switchboard.gateway.access.AccessWatch;
import io.switchboard.gateway.fanout.OrderedDelivery;
import io.switchboard.gateway.feed.EncodedEvent;
import io.switchboard.gateway.feed.EventView;
import io.switchboard.gateway.feed.FrameEncoder;
import io.switchboard.gateway.live.LiveFrame;
import io.switchboard.gateway.wire.RawChannel;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Where events are written to a socket: one client's SSE stream, as pre-encoded HTTP chunks of its format (family
 * and naming, {@link Family#format}) through its {@link RawChannel}. The rules of delivery (replay, holding back,
 * exactly once, cut-off) are {@link OrderedDelivery}'s. Live frames of one dispatch are written unflushed and
 * flushed once, so they leave in one system call. Lives on its connection's event loop.
 */
final class SseConnection extends OrderedDelivery {

  @Override
  public String transport() {
    return OpenStreams.SSE;
  }

  @Override
  public String family() {
    return OpenStreams.label(Family.ofFormat(format));
  }


  private final RawChannel raw;
  private boolean headSent;   // nothing but the response's head may go first (SseEndpoint writes it after the plan)
  private final List<String> channels;
  private final int format;
  private final String owner;
  private final String client;

  SseConnection(RawChannel raw, Principal principal, EventView view, List<String> channels, int format,
                int maxBufferBytes, String owner, String client) {
    super(principal, view, maxBufferBytes);
    this.raw = raw;
    this.channels = channels;
    this.format = format;
    this.owner = owner;
    this.client = client;
  }

  /** Whose stream this is ({@code tenant/sub}), for the per-user quota; null on anonymous streams. */
  String owner() {
    return owner;
  }

  /** The client address this stream counts against. */
  String client() {
    return client;
  }

  /**
   * The tenant this stream counts for: its token's, or, for an anonymous stream, that of the public channel it
   * follows ({@code stock:{t}}).
   */
  String tenant() {
    Principal p = principal();
    if (p != null) {
      return p.tenant();
    }
    for (String c : channels) {
      if (c.startsWith("stock:")) {
        int end = c.indexOf(':', 6);
        return end < 0 ? c.substring(6) : c.substring(6, end);
      }
    }
    return "";
  }

  @Override
  public List<String> channels() {
    return channels;
  }

  /** The family and naming of this stream's frames ({@link Family#format}). */
  int format() {
    return format;
  }

  private ByteBuffer chunkOf(EncodedEvent e) {
    EncodedEvent seen = seen(e);
    return seen == null ? null : seen.chunk(format);
  }

  @Override
  protected int sizeOf(EncodedEvent e) {
    ByteBuffer chunk = chunkOf(e);
    return chunk == null ? -1 : chunk.limit();
  }

  @Override
  protected void write(EncodedEvent e) {
    raw.write(chunkOf(e));
  }

  @Override
  protected void flushTransport() {
    raw.flush();
  }

  @Override
  public boolean writable() {
    return raw.isWritable();
  }

  @Override
  protected void closeTransport() {
    raw.close();
  }

  /**
   * A transient event (no sequence number): it cannot be replayed, so a stream still replaying, or one that
   * reconnects, simply does not see it.
   */
  @Override
  public boolean offerTransient(EncodedEvent e) {
    ByteBuffer chunk = chunkOf(e);
    return chunk != null && writeUnnumbered(chunk, isLive());
  }

  /**
   * A live position frame, once the stream's latest positions went out first. A client that cannot keep up is cut
   * off, as for events: on reconnect it gets the latest positions first.
   */
  @Override
  public boolean offerLive(LiveFrame frame) {
    return writeUnnumbered(frame.chunk(Family.namingOfFormat(format)), positionsReady());
  }

  private boolean writeUnnumbered(ByteBuffer chunk, boolean ready) {
    if (isClosed() || !ready) {
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
    if (isClosed()) {
      return;
    }
    if (!latest.isEmpty()) {
      writeNow(latest);
    }
    positionsStarted();
  }

  /** Writes and flushes frames outside the live sequence (connected, reset, access_ended). */
  void writeNow(List<ByteBuffer> chunks) {
    if (isClosed()) {
      return;
    }
    for (ByteBuffer c : chunks) {
      raw.write(c);
    }
    raw.flush();
  }

  /** The response's head is out: frames may follow. */
  void headSent() {
    headSent = true;
  }

  void heartbeat(ByteBuffer comment) {
    if (isClosed() || !headSent) {
      return;
    }
    if (!raw.isWritable()) {
      cutOff();
      return;
    }
    raw.write(comment);
    raw.flush();
  }

  /**
   * Its access ended: an {@code access_ended} frame without an id (so the client's Last-Event-ID stays its last
   * event) says why, then the stream closes. With a fresh token the client resumes exactly; a relation that ended
   * refuses it (403).
   */
  @Override
  public void accessEnded(String reason) {
    JsonObject json = new JsonObject().put("type", "access_ended").put("reason", reason)
        .put("lastEventId", lastSent())
        .put("message", AccessWatch.TOKEN_EXPIRED.equals(reason)
            ? "the token expired; reconnect with a fresh one and Last-Event-ID to resume"
            : "access to these channels ended");
    end(FrameEncoder.control(-1, "access_ended", Family.namingOfFormat(format), json.encode()),
        FrameEncoder.LAST_CHUNK);
  }

  /** Ends the stream politely: a last frame (a reconnect hint, a reason) and the last chunk, then closes. */
  void end(ByteBuffer lastFrame, ByteBuffer lastChunk) {
    if (isClosed()) {
      return;
    }
    close();
    if (headSent) {   // before its head a stream is just closed: the client retries, as after any lost connection
      raw.write(lastFrame);
      raw.write(lastChunk);
      raw.flush();
    }
    raw.close();
  }

}
