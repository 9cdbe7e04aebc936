package io.switchboard.gateway.socketio.protocol;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Socket.IO v5 packet format ({@code <type>[<attachments>-][<nsp>,][<ack id>][<json>]}), decoded with the
 * reference parser's checks (socket.io-parser's {@code isPayloadValid}): what the reference server would close a
 * connection for, we refuse too. Encoding is only what a server sends: CONNECT, CONNECT_ERROR, DISCONNECT, EVENT and
 * ACK, each already wrapped in its Engine.IO message packet ({@code 4...}), ready for the wire.
 */
public final class SocketCodec {

  /** Event names the client library keeps for itself: a client cannot send them and we never emit them. */
  public static final Set<String> RESERVED = Set.of("connect", "connect_error", "disconnect", "disconnecting",
      "newListener", "removeListener");
  private static final int MAX_ATTACHMENTS = 10;
  private static final int MAX_NSP = 100;

  private SocketCodec() {}

  public static SocketPacket decode(String text) throws BadPacket {
    if (text.isEmpty()) {
      throw new BadPacket("empty Socket.IO packet");
    }
    SocketType type = SocketType.of(text.charAt(0));
    if (type == null) {
      throw new BadPacket("unknown Socket.IO packet type '" + EnginePayload.printable(text.charAt(0)) + "'");
    }
    int i = 1;
    int attachments = 0;
    if (type == SocketType.BINARY_EVENT || type == SocketType.BINARY_ACK) {
      int dash = text.indexOf('-', i);
      if (dash < 0 || dash == i || dash - i > 2 || !digits(text, i, dash)) {
        throw new BadPacket("invalid attachment count");
      }
      attachments = Integer.parseInt(text, i, dash, 10);
      if (attachments > MAX_ATTACHMENTS) {
        throw new BadPacket("too many binary attachments (at most " + MAX_ATTACHMENTS + ")");
      }
      i = dash + 1;
    }
    String nsp = "/";
    if (i < text.length() && text.charAt(i) == '/') {
      int comma = text.indexOf(',', i);
      int end = comma < 0 ? text.length() : comma;
      if (end - i > MAX_NSP) {
        throw new BadPacket("namespace too long");
      }
      nsp = text.substring(i, end);
      i = comma < 0 ? end : comma + 1;
    }
    long ackId = -1;
    int idStart = i;
    while (i < text.length() && Character.isDigit(text.charAt(i))) {
      i++;
    }
    if (i > idStart) {
      if (i - idStart > 15) {
        throw new BadPacket("invalid acknowledgement id");
      }
      ackId = Long.parseLong(text, idStart, i, 10);
    }
    Object data = null;
    if (i < text.length()) {
      try {
        data = Json.decodeValue(text.substring(i));
      } catch (DecodeException e) {
        throw new BadPacket("invalid JSON payload");
      }
      if (data instanceof Map<?, ?> m) {
        data = new JsonObject(cast(m));
      } else if (data instanceof List<?> l) {
        data = new JsonArray(l);
      }
    }
    checkPayload(type, data, ackId);
    return new SocketPacket(type, nsp, ackId, data, attachments);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private static void checkPayload(SocketType type, Object data, long ackId) throws BadPacket {
    boolean valid = switch (type) {
      case CONNECT -> data == null || data instanceof JsonObject;
      case DISCONNECT -> data == null;
      case EVENT, BINARY_EVENT -> data instanceof JsonArray a && !a.isEmpty()
          && (a.getValue(0) instanceof Number || a.getValue(0) instanceof String s && !RESERVED.contains(s));
      case ACK, BINARY_ACK -> data instanceof JsonArray && ackId >= 0;
      case CONNECT_ERROR -> false; // only a server sends it
    };
    if (!valid) {
      throw new BadPacket("invalid payload for a " + type + " packet");
    }
  }

  private static boolean digits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code 4<type>[<nsp>,]}: the start of every packet the server sends on {@code nsp}. */
  public static StringBuilder start(SocketType type, String nsp, int capacity) {
    StringBuilder sb = new StringBuilder(capacity + nsp.length() + 4).append('4').append(type.digit());
    if (!"/".equals(nsp)) {
      sb.append(nsp).append(',');
    }
    return sb;
  }

  public static String connect(String nsp, JsonObject data) {
    return start(SocketType.CONNECT, nsp, 64).append(data.encode()).toString();
  }

  public static String connectError(String nsp, String message, JsonObject extra) {
    JsonObject data = new JsonObject().put("message", message);
    if (extra != null) {
      data.put("data", extra);
    }
    return start(SocketType.CONNECT_ERROR, nsp, 64).append(data.encode()).toString();
  }

  public static String disconnect(String nsp) {
    return start(SocketType.DISCONNECT, nsp, 0).toString();
  }

  /** {@code emit(name, ...args)}: every argument already JSON text. */
  public static String event(String nsp, String name, String... jsonArgs) {
    StringBuilder sb = start(SocketType.EVENT, nsp, 64).append('[').append(Json.encode(name));
    for (String a : jsonArgs) {
      sb.append(',').append(a);
    }
    return sb.append(']').toString();
  }

  public static String ack(String nsp, long id, JsonArray args) {
    return start(SocketType.ACK, nsp, 64).append(id).append(args.encode()).toString();
  }
}
