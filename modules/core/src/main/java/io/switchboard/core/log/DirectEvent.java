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

  public static List<DirectEvent> decode(JsonArray batch) {
    List<DirectEvent> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      JsonArray a = batch.getJsonArray(i);
      List<String> channels = new ArrayList<>();
      a.getJsonArray(1).forEach(c -> channels.add((String) c));
      out.add(new DirectEvent(a.getString(0), new NewEvent(channels, a.getString(2), a.getString(3))));
    }
    return out;
  }
}
