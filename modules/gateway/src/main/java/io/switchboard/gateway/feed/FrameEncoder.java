package io.switchboard.gateway.feed;

import io.switchboard.core.event.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Encodes SSE frames. The data line is {@code {"id":..,"eventId":..,"type":..,"channels":[..],"data":<raw>,"timestamp":..}}.
 * Channel names and types are validated at the edge to a charset that needs no JSON escaping, and the data JSON
 * is spliced in as stored, so encoding is string concatenation.
 */
public final class FrameEncoder {

  private FrameEncoder() {}

  public static EncodedEvent encode(Event e) {
    String json = envelope(e);
    String idLine = "id: " + e.seq() + "\n";
    return new EncodedEvent(e.seq(), e.channels(),
        buffer(idLine + "data: " + json + "\n\n"),
        buffer(idLine + "event: " + e.type() + "\n" + "data: " + json + "\n\n"));
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
  public static Buffer control(long id, String type, boolean named, String json) {
    StringBuilder sb = new StringBuilder(64 + json.length());
    if (id >= 0) {
      sb.append("id: ").append(id).append('\n');
    }
    if (named) {
      sb.append("event: ").append(type).append('\n');
    }
    sb.append("data: ").append(json).append("\n\n");
    return buffer(sb.toString());
  }

  public static Buffer buffer(String s) {
    return Buffer.buffer(s.getBytes(StandardCharsets.UTF_8));
  }
}
