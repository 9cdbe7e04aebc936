package io.switchboard.gateway.socketio.engine;

import io.vertx.core.json.JsonObject;

/**
 * The Engine.IO server's error answers, with its codes and messages (clients and proxies read {@code code}), plus
 * our {@code error} name so the body is also the {@code {error, message}} every other endpoint answers with.
 */
public enum EngineError {
  UNKNOWN_TRANSPORT(0, "Transport unknown", 400, "unknown_transport"),
  UNKNOWN_SID(1, "Session ID unknown", 400, "unknown_sid"),
  BAD_HANDSHAKE_METHOD(2, "Bad handshake method", 400, "bad_handshake_method"),
  BAD_REQUEST(3, "Bad request", 400, "bad_request"),
  FORBIDDEN(4, "Forbidden", 403, "forbidden"),
  UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version", 400, "unsupported_protocol_version"),
  PAYLOAD_TOO_LARGE(3, "Payload too large", 413, "payload_too_large");

  private final int code;
  private final String message;
  private final int status;
  private final String name;

  EngineError(int code, String message, int status, String name) {
    this.code = code;
    this.message = message;
    this.status = status;
    this.name = name;
  }

  public int status() {
    return status;
  }

  public String body(String detail) {
    return new JsonObject().put("code", code).put("message", message).put("error", name)
        .put("detail", detail).encode();
  }
}
