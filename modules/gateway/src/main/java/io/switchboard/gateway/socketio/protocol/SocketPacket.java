package io.switchboard.gateway.socketio.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One decoded Socket.IO packet from a client: its type, namespace ({@code /} by default), acknowledgement id (-1:
 * none), payload (a {@link JsonObject} for CONNECT, a {@link JsonArray} for events and acks, null when absent) and
 * how many binary attachments follow it (which a binary event's placeholders stand for).
 */
public record SocketPacket(SocketType type, String nsp, long ackId, Object data, int attachments) {

  public boolean wantsAck() {
    return ackId >= 0;
  }

  /** The event's name (events only). */
  public String eventName() {
    return ((JsonArray) data).getString(0);
  }

  /** The event's arguments after its name (events only). */
  public JsonArray args() {
    JsonArray all = (JsonArray) data;
    return new JsonArray(all.getList().subList(1, all.size()));
  }

  public JsonObject auth() {
    return data instanceof JsonObject o ? o : new JsonObject();
  }
}
