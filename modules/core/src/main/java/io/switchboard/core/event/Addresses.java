package io.switchboard.core.event;

/**
 * Event-bus addresses. Deliberately few: every clustered consumer is a registry write broadcast to all nodes,
 * so there is one address for sequenced events and fan-out happens inside each node.
 */
public final class Addresses {

  /** Batches of numbered events, published by the relay to every node, encoded by {@link EventBatchCodec}. */
  public static final String SEQUENCED_EVENTS = "switchboard.events.sequenced";

  /**
   * Batches of accepted GPS fixes, published by every ingesting node to every node ({@link
   * io.switchboard.core.position.FixBatchCodec}): live state, not history, so they bypass the event log.
   */
  public static final String LIVE_POSITIONS = "switchboard.positions.live";

  /**
   * Batches of transient events (the Redis bridge's {@code durable: false} messages), published to every node
   * ({@link EventBatchCodec}, sequence -1): delivered live to the streams of their channels, never numbered, never
   * replayed.
   */
  public static final String TRANSIENT_EVENTS = "switchboard.events.transient";

  /**
   * Raw publishes on their way to the relay leader, which numbers them in its next statement: a batch of
   * {@link io.switchboard.core.log.DirectEvent}s per message, request and reply. Only the leader consumes it.
   */
  public static final String DIRECT_EVENTS = "switchboard.events.direct";

  private Addresses() {}
}
