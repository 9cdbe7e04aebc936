package io.switchboard.gateway.socketio.engine;

import io.switchboard.gateway.wire.RawChannel;
import io.switchboard.gateway.wire.RawWebSocket;
import io.switchboard.gateway.wire.WebSocketFrames;

import java.nio.ByteBuffer;

/**
 * WebSocket: one Engine.IO packet per text frame. Events arrive with their frame encoded once for every socket
 * that shows them; they are written straight to the socket ({@link RawChannel}), queued per dispatch and sent in
 * one system call. A client that stops reading fills the kernel's buffer, then Netty's, and is cut off past the
 * high-water mark.
 */
final class WebSocketTransport implements Transport {

  private final RawWebSocket ws;
  private final RawChannel raw;

  WebSocketTransport(RawWebSocket ws) {
    this.ws = ws;
    this.raw = ws.raw();
  }

  @Override
  public void send(String text, ByteBuffer frame) {
    raw.write(frame != null ? frame : WebSocketFrames.single(text));
  }

  @Override
  public void flush() {
    raw.flush();
  }

  @Override
  public boolean writable() {
    return raw.isWritable();
  }

  @Override
  public void close(String goodbye) {
    if (goodbye != null && raw.isOpen()) {
      raw.write(WebSocketFrames.single(goodbye));
      raw.flush();
    }
    ws.end();
  }

  @Override
  public String name() {
    return "websocket";
  }
}
