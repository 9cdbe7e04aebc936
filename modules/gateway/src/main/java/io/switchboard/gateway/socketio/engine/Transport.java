package io.switchboard.gateway.socketio.engine;

import java.nio.ByteBuffer;

/** How a session's packets reach its client: long-polling responses or WebSocket frames. On its event loop. */
interface Transport {

  /** Queues one packet: its text and, when the caller has it, its WebSocket frame encoded already. */
  void send(String text, ByteBuffer frame);

  void flush();

  /** Whether the client keeps up (its unsent bytes are under the bound). */
  boolean writable();

  /** Ends the transport; {@code goodbye} is the last packet the client gets when it can still get one. */
  void close(String goodbye);

  String name();
}
