package io.switchboard.bridge.inbound;

/** An inbound message that cannot become an event: it goes to the dead-letter stream with this reason. */
public final class BadMessage extends RuntimeException {

  public BadMessage(String reason) {
    super(reason, null, false, false);
  }
}
