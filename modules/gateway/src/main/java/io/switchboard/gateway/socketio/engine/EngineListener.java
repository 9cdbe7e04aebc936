package io.switchboard.gateway.socketio.engine;

import io.switchboard.gateway.socketio.protocol.EnginePacket;

/** What rides on an Engine.IO session (the Socket.IO layer): its messages, and its end. */
public interface EngineListener {

  /** A message packet (text or binary) from the client. */
  void onMessage(EnginePacket message);

  /**
   * The session ended: {@code reason} as Socket.IO names it ({@code transport close}, {@code ping timeout},
   * {@code parse error}, {@code server shutting down}, ...). Not called when the session moved to another node
   * ({@link EngineSession#detach}).
   */
  void onClose(String reason);
}
