package io.switchboard.api.publish;

import io.switchboard.core.event.Channels;
import io.switchboard.core.event.NewEvent;
import io.switchboard.core.http.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Validates the body of {@code POST /api/v1/events} into a {@link NewEvent}. */
final class PublishRequest {

  static final int MAX_CHANNELS = 64;

  private PublishRequest() {}

  static NewEvent parse(JsonObject body) {
    if (body == null) {
      throw ApiError.badRequest("the body must be a JSON object {channels, type, data}");
    }
    Object rawChannels = body.getValue("channels");
    if (!(rawChannels instanceof JsonArray array) || array.isEmpty()) {
      throw ApiError.badRequest("'channels' must be a non-empty array of channel names");
    }
    if (array.size() > MAX_CHANNELS) {
      throw ApiError.badRequest("'channels' may name at most " + MAX_CHANNELS + " channels");
    }
    Set<String> channels = new LinkedHashSet<>();
    for (Object c : array) {
      if (!(c instanceof String name) || !Channels.isValid(name)) {
        throw ApiError.badRequest("invalid channel name in 'channels': " + c);
      }
      channels.add(name);
    }
    Object type = body.getValue("type");
    if (!(type instanceof String t) || !Channels.isValidType(t)) {
      throw ApiError.badRequest("'type' must be 1-100 characters of letters, digits and _-.:");
    }
    Object data = body.getValue("data");
    if (data != null && !(data instanceof JsonObject) && !(data instanceof JsonArray)
        && !(data instanceof String) && !(data instanceof Number) && !(data instanceof Boolean)) {
      throw ApiError.badRequest("'data' must be JSON");
    }
    String json = data == null ? "{}" : io.vertx.core.json.Json.encode(data);
    List<String> list = new ArrayList<>(channels);
    return new NewEvent(List.copyOf(list), t, json);
  }
}
