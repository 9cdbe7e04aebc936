package io.switchboard.gateway.socketio.protocol;

/** The Engine.IO v4 packet types, by their digit on the wire. */
public enum EngineType {
  OPEN, CLOSE, PING, PONG, MESSAGE, UPGRADE, NOOP;

  public char digit() {
    return (char) ('0' + ordinal());
  }

  /** The type of digit {@code c}, or null when it is none. */
  public static EngineType of(char c) {
    int i = c - '0';
    return i >= 0 && i < values().length ? values()[i] : null;
  }
}
