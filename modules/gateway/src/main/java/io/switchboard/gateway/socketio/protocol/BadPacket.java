package io.switchboard.gateway.socketio.protocol;

/**
 * Input that is not the protocol: the session that sent it is closed, as the reference server does, and the
 * client is told why when the transport allows it. The message never echoes more than a short prefix of the input.
 */
public final class BadPacket extends Exception {

  public BadPacket(String message) {
    super(message, null, false, false);
  }
}
