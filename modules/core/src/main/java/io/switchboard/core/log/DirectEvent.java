package io.switchboard.core.log;

import io.switchboard.core.event.NewEvent;
import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.List;

/**
 * A raw publish on its way to the relay leader, with the event id its publisher chose (so the publisher can answer
 * before the event is numbered, and so a retry through the outbox is recognised as the same event).
 */
public record DirectEvent(String eventId, NewEvent event) {

  /** One event-bus message for a batch: {@code [[id, [channels], type, data], ...]}. */
  public static JsonArray encode(List<DirectEvent> batch) {
    JsonArray out = new JsonArray(new ArrayList<>(batch.size()));
    for (DirectEvent d : batch) {
      out.add(new JsonArray().add(d.eventId).add(new JsonArray(new ArrayList<>(d.event.channels())))
          .add(d.event.type()).add(d.event.data()));
    }
    return out;
  }

  // The leader reads a batch's rows as they came, straight into its statement's parameters: channels stay JSON.

  static String id(JsonArray row) {
    return row.getString(0);
  }

  static String channelsJson(JsonArray row) {
    return row.getJsonArray(1).encode();
  }

  static String type(JsonArray row) {
    return row.getString(2);
  }

  static String data(JsonArray row) {
    return row.getString(3);
  }
}
