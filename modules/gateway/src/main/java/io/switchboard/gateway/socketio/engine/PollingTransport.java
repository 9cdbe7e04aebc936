package io.switchboard.gateway.socketio.engine;

import io.switchboard.gateway.socketio.protocol.EnginePayload;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP long-polling: packets wait in an outbox until the client's GET takes them all, as one payload. At most one
 * GET is held at a time (a second one is a protocol error: the reference server closes the session, and so do
 * we); a held GET is answered as soon as there is something to send, or with the next ping at the latest.
 */
final class PollingTransport implements Transport {

  private final ArrayDeque<String> outbox = new ArrayDeque<>();
  private final int maxBufferBytes;
  private int outboxChars;
  private PollReply held;

  PollingTransport(int maxBufferBytes) {
    this.maxBufferBytes = maxBufferBytes;
  }

  @Override
  public void send(String text, ByteBuffer frame) {
    outbox.add(text);
    outboxChars += text.length() + 1;
  }

  @Override
  public void flush() {
    if (held != null && !outbox.isEmpty()) {
      PollReply r = held;
      held = null;
      r.payload(drain());
    }
  }

  /** Counted in chars: close enough to bytes for a bound, and free. */
  @Override
  public boolean writable() {
    return outboxChars <= maxBufferBytes;
  }

  @Override
  public void close(String goodbye) {
    if (held != null) {
      PollReply r = held;
      held = null;
      r.payload(goodbye);
    }
    outbox.clear();
    outboxChars = 0;
  }

  @Override
  public String name() {
    return "polling";
  }

  boolean holding() {
    return held != null;
  }

  boolean hasOutput() {
    return !outbox.isEmpty();
  }

  /** Holds {@code reply} until there is something to send. */
  void hold(PollReply reply) {
    held = reply;
  }

  /** The held GET, taken (null when none). */
  PollReply takeHeld() {
    PollReply r = held;
    held = null;
    return r;
  }

  /** Everything waiting, as one payload, and an empty outbox. */
  String drain() {
    StringBuilder sb = new StringBuilder(outboxChars);
    for (String p : outbox) {
      if (!sb.isEmpty()) {
        sb.append(EnginePayload.SEPARATOR);
      }
      sb.append(p);
    }
    outbox.clear();
    outboxChars = 0;
    return sb.toString();
  }

  /** What waits, taken away (a session moving to another node hands it over). */
  List<String> takeOutbox() {
    List<String> all = new ArrayList<>(outbox);
    outbox.clear();
    outboxChars = 0;
    return all;
  }
}
