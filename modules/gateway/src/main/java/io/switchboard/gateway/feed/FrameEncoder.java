package io.switchboard.gateway.feed;

import io.switchboard.core.dialect.Family;
import io.switchboard.core.dialect.Frame;
import io.switchboard.core.dialect.Naming;
import io.switchboard.core.event.Event;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes SSE frames as complete HTTP/1.1 chunks ({@code <hex length>\r\n<frame>\r\n}): the chunk framing of a
 * frame is the same for every connection, so it is done once here too. What the frame's JSON says is the
 * family's {@link io.switchboard.core.dialect.Dialect}'s business.
 */
public final class FrameEncoder {

  /** The chunk that ends a chunked response. */
  public static final ByteBuffer LAST_CHUNK = direct("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

  private FrameEncoder() {}

  public static EncodedEvent encode(Event e) {
    return new EncodedEvent(e);
  }

  /** The chunk of {@code e} in {@code format}, or null when the format's family does not show it. */
  static ByteBuffer encode(Event e, int format) {
    Frame frame = Family.ofFormat(format).render(e);
    if (frame == null) {
      return null;
    }
    return chunk(frameText(e.seq(), frame.name(), Family.namingOfFormat(format), frame.json()));
  }

  /** A frame that is not an event of the log (connected, reset): {@code id} may be negative for none. */
  public static ByteBuffer control(long id, String type, Naming naming, String json) {
    return chunk(frameText(id, type, naming, json));
  }

  /** The text of one event in {@code naming}: with {@code BOTH}, the named frame then the unnamed one. */
  public static String frameText(long id, String name, Naming naming, String json) {
    StringBuilder sb = new StringBuilder(2 * json.length() + 64);
    if (naming != Naming.MESSAGE) {
      appendFrame(sb, id, name, json);
    }
    if (naming != Naming.NAMED) {
      appendFrame(sb, id, null, json);
    }
    return sb.toString();
  }

  private static void appendFrame(StringBuilder sb, long id, String name, String json) {
    if (id >= 0) {
      sb.append("id: ").append(id).append('\n');
    }
    if (name != null) {
      sb.append("event: ").append(name).append('\n');
    }
    sb.append("data: ").append(json).append("\n\n");
  }

  /**
   * One HTTP chunk holding {@code text}, in a JDK direct buffer: the socket write needs no copy (a heap buffer
   * would be copied to a direct one on every write, i.e. per delivery), and the memory is reclaimed by the GC
   * once the event is gone. The buffer is shared by every connection and every event loop that writes it, so
   * nobody may move its position or limit: writers read it by index ({@code RawChannel}).
   */
  public static ByteBuffer chunk(String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    byte[] head = (Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out = ByteBuffer.allocateDirect(head.length + body.length + 2);
    out.put(head).put(body).put((byte) '\r').put((byte) '\n').flip();
    return out;
  }

  private static ByteBuffer direct(byte[] bytes) {
    return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
  }

  /** The text of a chunk's frame, for tests and logs. */
  public static String frameText(ByteBuffer chunk) {
    String all = StandardCharsets.UTF_8.decode(chunk.duplicate()).toString();
    return all.substring(all.indexOf("\r\n") + 2, all.length() - 2);
  }
}
