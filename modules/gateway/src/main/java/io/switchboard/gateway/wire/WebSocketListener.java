package io.switchboard.gateway.wire;

/** What a {@link RawWebSocket}'s client sends, on the socket's event loop with its Vert.x context current. */
public interface WebSocketListener {

  /** Until someone listens, messages are dropped (a client may not send before it saw the handshake's answer). */
  WebSocketListener NONE = new WebSocketListener() {
    @Override
    public void text(String text) { }

    @Override
    public void binary(byte[] data) { }

    @Override
    public void closed() { }
  };

  /** A whole text message (its frames joined), at most maxPayload bytes. */
  void text(String text);

  /** A whole binary message, at most maxPayload bytes. */
  void binary(byte[] data);

  /** The connection is gone; called once. */
  void closed();
}
