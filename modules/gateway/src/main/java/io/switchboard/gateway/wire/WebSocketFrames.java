package io.switchboard.gateway.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Server-to-client WebSocket frames (RFC 6455 5.2: unmasked, one final frame per message), encoded once and written
 * as they are by {@link RawChannel} to every connection that shows them. Compression is never negotiated on our
 * WebSockets, so a frame's bytes are the same for every connection.
 */
public final class WebSocketFrames {

  private static final int TEXT = 0x81; // FIN + opcode 1

  /** Engine.IO's ping ({@code 2}): every socket gets it every ping interval, so it is one shared frame. */
  public static final ByteBuffer PING = text("2");

  private WebSocketFrames() {}

  /**
   * A text frame holding {@code text}, in a direct buffer nobody may move (see {@link RawChannel}): for a frame
   * that many connections share, which the socket takes without a copy.
   */
  public static ByteBuffer text(String text) {
    return encode(text, true);
  }

  /**
   * A text frame for one connection only (its open packet, an ack), on the heap: Netty copies it into its pooled
   * direct memory on the way out. A JDK direct buffer per frame would be native memory freed only after a GC, and
   * kept by the C allocator: several per connection showed as resident memory of every idle connection.
   */
  public static ByteBuffer single(String text) {
    return encode(text, false);
  }

  private static ByteBuffer encode(String text, boolean direct) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    int n = payload.length;
    int head = n < 126 ? 2 : n < 65_536 ? 4 : 10;
    ByteBuffer out = direct ? ByteBuffer.allocateDirect(head + n) : ByteBuffer.allocate(head + n);
    out.put((byte) TEXT);
    if (n < 126) {
      out.put((byte) n);
    } else if (n < 65_536) {
      out.put((byte) 126).putShort((short) n);
    } else {
      out.put((byte) 127).putLong(n);
    }
    return out.put(payload).flip();
  }
}
