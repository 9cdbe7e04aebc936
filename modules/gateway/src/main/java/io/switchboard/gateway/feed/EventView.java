package io.switchboard.gateway.feed;

/**
 * What one subscriber may see of an event. Nearly every subscriber sees the event as everyone does ({@link #SHARED}:
 * the node's one encoding of it); a few see a version of their own, such as a customer following a run, who sees
 * their own stop only. Transport-neutral: a view returns an event, whose frames each transport encodes.
 */
@FunctionalInterface
public interface EventView {

  EventView SHARED = e -> e;

  /** The event as this subscriber sees it; null when it sees nothing of it. */
  EncodedEvent apply(EncodedEvent event);
}
