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

  private WebSocketFrames() {}

  /** A text frame holding {@code text}, in a direct buffer nobody may move (see {@link RawChannel}). */
  public static ByteBuffer text(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    int n = payload.length;
    int head = n < 126 ? 2 : n < 65_536 ? 4 : 10;
    ByteBuffer out = ByteBuffer.allocateDirect(head + n);
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
