package io.switchboard.gateway.socketio.protocol;

/** The Socket.IO v5 packet types, by their digit on the wire. */
public enum SocketType {
  CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK;

  public char digit() {
    return (char) ('0' + ordinal());
  }

  static SocketType of(char c) {
    int i = c - '0';
    return i >= 0 && i < values().length ? values()[i] : null;
  }
}
