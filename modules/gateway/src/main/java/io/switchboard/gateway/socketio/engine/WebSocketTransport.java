package io.switchboard.gateway.socketio.engine;

import io.switchboard.gateway.wire.RawWebSocket;
import io.switchboard.gateway.wire.WebSocketFrames;

import java.nio.ByteBuffer;

/**
 * WebSocket: one Engine.IO packet per text frame. Events arrive with their frame encoded once for every socket
 * that shows them; they are written straight to the socket ({@code RawChannel}), queued per dispatch and sent in
 * one system call. A client that stops reading fills the kernel's buffer, then Netty's, and is cut off past the
 * high-water mark.
 */
final class WebSocketTransport implements Transport {

  private final RawWebSocket ws;

  WebSocketTransport(RawWebSocket ws) {
    this.ws = ws;
  }

  @Override
  public void send(String text, ByteBuffer frame) {
    ws.raw().write(frame != null ? frame : WebSocketFrames.single(text));
  }

  @Override
  public void flush() {
    ws.raw().flush();
  }

  @Override
  public boolean writable() {
    return ws.raw().isWritable();
  }

  @Override
  public void close(String goodbye) {
    if (goodbye != null && ws.isOpen()) {
      ws.raw().write(WebSocketFrames.single(goodbye));
    }
    ws.end(); // flushes the goodbye before its close frame
  }

  @Override
  public String name() {
    return "websocket";
  }
}
