package io.switchboard.bridge.inbound;

import io.switchboard.core.event.Channels;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a service sends through Redis: {@code {"channels": [..], "type": "..", "data": {..}, "idempotencyKey"?,
 * "durable"?}} ({@code channel} for a single one is accepted too). {@code durable} defaults to true: the event
 * goes through the log, numbered and resumable; false sends it straight to the live streams.
 */
public record InboundMessage(List<String> channels, String type, String data, String idempotencyKey,
                             boolean durable) {

  static final int MAX_CHANNELS = 64;
  static final int MAX_BYTES = 64 * 1024;

  /** Parses and validates; throws {@link BadMessage} with the reason otherwise. */
  public static InboundMessage parse(String payload) {
    if (payload == null || payload.isBlank()) {
      throw new BadMessage("empty message");
    }
    if (payload.length() > MAX_BYTES) {
      throw new BadMessage("message larger than " + MAX_BYTES + " bytes");
    }
    JsonObject o;
    try {
      o = new JsonObject(payload);
    } catch (DecodeException | ClassCastException e) {
      throw new BadMessage("not a JSON object");
    }
    return of(o);
  }

  /** The message as a service would send it: what a dead letter keeps when the original text is gone. */
  public String toJson() {
    JsonObject o = new JsonObject().put("channels", new JsonArray(new ArrayList<>(channels))).put("type", type)
        .put("data", Json.decodeValue(data)).put("durable", durable);
    if (idempotencyKey != null) {
      o.put("idempotencyKey", idempotencyKey);
    }
    return o.encode();
  }

  /** A NUL is refused by PostgreSQL's text columns; no other control character belongs in a key either. */
  private static boolean hasControlCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  static InboundMessage of(JsonObject o) {
    Set<String> channels = new LinkedHashSet<>();
    Object raw = o.getValue("channels");
    if (raw == null && o.getValue("channel") instanceof String one) {
      raw = new JsonArray().add(one);
    }
    if (!(raw instanceof JsonArray list) || list.isEmpty()) {
      throw new BadMessage("'channels' must be a non-empty array of channel names");
    }
    if (list.size() > MAX_CHANNELS) {
      throw new BadMessage("'channels' may name at most " + MAX_CHANNELS + " channels");
    }
    for (Object c : list) {
      if (!(c instanceof String name) || !Channels.isValid(name)) {
        throw new BadMessage("invalid channel name: " + c);
      }
      channels.add(name);
    }
    if (!(o.getValue("type") instanceof String type) || !Channels.isValidType(type)) {
      throw new BadMessage("'type' must be 1-100 characters of letters, digits and _-.:");
    }
    Object data = o.getValue("data");
    String key = null;
    Object k = o.getValue("idempotencyKey");
    if (k != null) {
      if (!(k instanceof String s) || s.isBlank() || s.length() > 200 || hasControlCharacter(s)) {
        throw new BadMessage("'idempotencyKey' must be a string of 1-200 characters, none of them a control"
            + " character");
      }
      key = s;
    }
    Object durable = o.getValue("durable");
    if (durable != null && !(durable instanceof Boolean)) {
      throw new BadMessage("'durable' must be true or false");
    }
    return new InboundMessage(new ArrayList<>(channels), type, data == null ? "{}" : Json.encode(data), key,
        durable == null || (Boolean) durable);
  }
}
