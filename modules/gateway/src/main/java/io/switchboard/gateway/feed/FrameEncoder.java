package io.switchboard.gateway.feed;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.core.event.Event;
import io.vertx.core.json.Json;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Encodes SSE frames. The data line is {@code {"id":..,"eventId":..,"type":..,"channels":[..],"data":<raw>,"timestamp":..}}.
 * Channel names and types are validated at the edge to a charset that needs no JSON escaping, and the data JSON
 * is spliced in as stored, so encoding is string concatenation. Frames are returned as complete HTTP/1.1 chunks
 * ({@code <hex length>\r\n<frame>\r\n}): the chunk framing of a frame is the same for every connection, so it
 * is done once here too.
 */
public final class FrameEncoder {

  private FrameEncoder() {}

  public static EncodedEvent encode(Event e) {
    String json = envelope(e);
    String idLine = "id: " + e.seq() + "\n";
    return new EncodedEvent(e.seq(), e.channels(),
        chunk(idLine + "data: " + json + "\n\n"),
        chunk(idLine + "event: " + e.type() + "\n" + "data: " + json + "\n\n"));
  }

  static String envelope(Event e) {
    StringBuilder sb = new StringBuilder(96 + e.data().length());
    sb.append("{\"id\":").append(e.seq()).append(",\"eventId\":\"").append(e.eventId())
        .append("\",\"type\":\"").append(e.type()).append("\",\"channels\":[");
    for (int i = 0; i < e.channels().size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"').append(e.channels().get(i)).append('"');
    }
    sb.append("],\"data\":").append(singleLine(e.data()))
        .append(",\"timestamp\":\"").append(Instant.ofEpochMilli(e.timestampMillis())).append("\"}");
    return sb.toString();
  }

  /** SSE data must not contain a line break; JSON stored by another producer might be pretty-printed. */
  private static String singleLine(String json) {
    if (json.indexOf('\n') < 0 && json.indexOf('\r') < 0) {
      return json;
    }
    return Json.encode(Json.decodeValue(json));
  }

  /** A frame that is not an event of the log (connected, reset, control): {@code id} may be negative for none. */
  public static ByteBuf control(long id, String type, boolean named, String json) {
    return chunk(controlText(id, type, named, json));
  }

  /** The text of {@link #control}, for callers that prepend a field (such as {@code retry:}) to the frame. */
  public static String controlText(long id, String type, boolean named, String json) {
    StringBuilder sb = new StringBuilder(64 + json.length());
    if (id >= 0) {
      sb.append("id: ").append(id).append('\n');
    }
    if (named) {
      sb.append("event: ").append(type).append('\n');
    }
    sb.append("data: ").append(json).append("\n\n");
    return sb.toString();
  }

  /**
   * One HTTP chunk holding {@code text}, in a JDK direct buffer: the socket write needs no copy (a heap buffer
   * would be copied to a direct one on every write, i.e. per delivery), and the memory is reclaimed by the GC
   * once the event is gone. Writers use retained duplicates, so Netty never releases the shared buffer.
   */
  public static ByteBuf chunk(String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    byte[] head = (Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out = ByteBuffer.allocateDirect(head.length + body.length + 2);
    out.put(head).put(body).put((byte) '\r').put((byte) '\n').flip();
    return Unpooled.wrappedBuffer(out);
  }

  /** The text of a chunk's frame, for tests and logs. */
  public static String frameText(ByteBuf chunk) {
    String all = chunk.toString(StandardCharsets.UTF_8);
    return all.substring(all.indexOf("\r\n") + 2, all.length() - 2);
  }
}
