package io.switchboard.gateway.socketio.engine;

/**
 * The answer to one long-polling request, wherever it came in: the HTTP response on this node, or the event bus
 * reply to the node that forwarded it. Answered exactly once.
 */
public interface PollReply {

  String TEXT = "text/plain; charset=UTF-8";
  String JSON = "application/json";

  void send(int status, String contentType, String body);

  default void payload(String body) {
    send(200, TEXT, body);
  }

  default void error(EngineError error, String detail) {
    send(error.status(), JSON, error.body(detail));
  }
}
