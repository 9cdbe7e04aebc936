package io.switchboard.core.dialect;

import io.switchboard.core.event.Event;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/** How one endpoint family shows canonical events. Implementations are stateless and thread-safe. */
public interface Dialect {

  /** The event as this family shows it, or null when the family does not show this type. */
  Frame render(Event event);

  /**
   * The first frame's JSON. {@code params} are the stream's path parameters (e.g. {@code orderId});
   * {@code base} already holds {@code type: connected}, for dialects that only add to it.
   */
  JsonObject connected(Map<String, String> params, JsonObject base);

  Naming defaultNaming();
}
