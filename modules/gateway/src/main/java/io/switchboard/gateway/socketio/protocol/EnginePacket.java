package io.switchboard.gateway.socketio.protocol;

/**
 * One Engine.IO packet: its type and either its text ({@code data}, possibly empty) or, for a binary message, its
 * bytes. Immutable.
 */
public record EnginePacket(EngineType type, String data, byte[] binary) {

  public static final char OPEN_TYPE_DIGIT = '0';

  public static final EnginePacket PING = new EnginePacket(EngineType.PING, "", null);
  public static final EnginePacket PONG = new EnginePacket(EngineType.PONG, "", null);
  public static final EnginePacket NOOP = new EnginePacket(EngineType.NOOP, "", null);
  public static final EnginePacket CLOSE = new EnginePacket(EngineType.CLOSE, "", null);

  public static EnginePacket message(String text) {
    return new EnginePacket(EngineType.MESSAGE, text, null);
  }

  public boolean isBinary() {
    return binary != null;
  }

  /** The text form: the type digit then the data (a binary packet has no text form: see {@link EnginePayload}). */
  public String encode() {
    return type.digit() + data;
  }
}
