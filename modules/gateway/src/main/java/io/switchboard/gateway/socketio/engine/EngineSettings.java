package io.switchboard.gateway.socketio.engine;

/**
 * What every Engine.IO session of a node is told and held to: the heartbeat ({@code pingInterval}, {@code
 * pingTimeout}), the largest message or polling body a client may send ({@code maxPayload}), how many bytes may wait
 * for a slow client before it is cut off ({@code maxBufferBytes}), and how long an upgrade may take.
 */
public record EngineSettings(long pingIntervalMs, long pingTimeoutMs, int maxPayload, int maxBufferBytes,
                             long upgradeTimeoutMs) {

  /** Packets one polling body may carry (the reference client sends a few; a body of thousands is not a client). */
  public static final int MAX_PACKETS_PER_POST = 1_000;
}
