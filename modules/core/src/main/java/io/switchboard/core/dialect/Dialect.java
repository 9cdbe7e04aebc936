package io.switchboard.core.dialect;

import io.switchboard.core.event.Event;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Map;

/** How one endpoint family shows canonical events. Implementations are stateless and thread-safe. */
public interface Dialect {

  /** The event as this family shows it, or null when the family does not show this type. */
  Frame render(Event event);

  /**
   * The first frame's JSON. {@code params} are the stream's path parameters (e.g. {@code orderId});
   * {@code base} is the generic stream's ({@code type}, {@code channels}, {@code lastEventId}). By default:
   * {@code {"type":"connected", <path parameters>, "timestamp", "lastEventId"}}. Null: the family's pages could not
   * read one; the stream then starts with a frame holding only its {@code id}.
   */
  default JsonObject connected(Map<String, String> params, JsonObject base) {
    JsonObject json = new JsonObject().put("type", "connected");
    params.forEach(json::put);
    return json.put("timestamp", Instant.now().toString()).put("lastEventId", base.getValue("lastEventId"));
  }

  Naming defaultNaming();
}
