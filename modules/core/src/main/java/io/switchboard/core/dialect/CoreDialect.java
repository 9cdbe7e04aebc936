package io.switchboard.core.dialect;

import io.switchboard.core.event.Event;
import io.switchboard.core.event.IsoTimestamp;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * The generic stream ({@code /api/v1/realtime/stream}): every event as
 * {@code {"id":..,"eventId":..,"type":..,"channels":[..],"data":<as stored>,"timestamp":..}}. Channel names and
 * types are validated at the edge to a charset that needs no JSON escaping, and the data JSON is spliced in as
 * stored, so encoding is string concatenation.
 */
final class CoreDialect implements Dialect {

  @Override
  public Frame render(Event e) {
    StringBuilder sb = new StringBuilder(96 + e.data().length());
    sb.append("{\"id\":").append(e.seq() < 0 ? "null" : String.valueOf(e.seq())).append(",\"eventId\":\"")
        .append(e.eventId())
        .append("\",\"type\":\"").append(e.type()).append("\",\"channels\":[");
    for (int i = 0; i < e.channels().size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"').append(e.channels().get(i)).append('"');
    }
    sb.append("],\"data\":").append(singleLine(e.data()))
        .append(",\"timestamp\":\"").append(IsoTimestamp.of(e.timestampMillis())).append("\"}");
    return new Frame(e.type(), sb.toString());
  }

  @Override
  public JsonObject connected(Map<String, String> params, JsonObject base) {
    return base;
  }

  @Override
  public Naming defaultNaming() {
    return Naming.MESSAGE;
  }

  /** SSE data must not contain a line break; JSON stored by another producer might be pretty-printed. */
  private static String singleLine(String json) {
    if (json.indexOf('\n') < 0 && json.indexOf('\r') < 0) {
      return json;
    }
    return Json.encode(Json.decodeValue(json));
  }
}
