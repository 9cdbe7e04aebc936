package io.switchboard.gateway.fanout;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.switchboard.core.auth.Principal;
import io.switchboard.gateway.feed.EncodedEvent;
import io.switchboard.gateway.feed.EventView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The delivery rules every subscriber shares, whatever its transport: while its missed events are replayed it holds
 * live events back (bounded), then goes live; {@code lastSent} makes delivery exactly-once across replay, live and
 * multi-channel overlap; a subscriber whose transport cannot take more is cut off at once and resumes from its last
 * id when it reconnects. What an event looks like on the wire is the transport's ({@link #sizeOf}, {@link #write}).
 * Lives on its event loop.
 */
public abstract class OrderedDelivery implements Subscriber {

  private static final Logger LOG = LoggerFactory.getLogger(OrderedDelivery.class);
  /** On Micrometer's global registry: a no-op unless the node exposes metrics. */
  private static final Counter CUT_OFF = Counter.builder("switchboard.slow.consumer.disconnects")
      .description("Subscribers cut off because they fell more than their buffer behind").register(Metrics.globalRegistry);
  private static final Counter DELIVERED = Counter.builder("switchboard.deliveries")
      .description("Live events written to subscribers (replays are counted as resumes)").register(Metrics.globalRegistry);
  private static final Counter DELIVERED_BYTES = Counter.builder("switchboard.delivered").baseUnit("bytes")
      .description("Bytes of live events written to subscribers, framed for their transport")
      .register(Metrics.globalRegistry);

  /** Registers the delivery counters now, so a node without subscribers yet exports them at 0, not nothing. */
  public static void registerMeters() {
    // Loading this class registered them.
  }

  private final Principal principal;
  private EventView view;
  private final int maxHeldBytes;
  private final ArrayDeque<EncodedEvent> held = new ArrayDeque<>();
  private int heldBytes;
  private long lastSent;
  private boolean live;
  private boolean positionsReady;
  private boolean closed;
  private boolean touched;

  protected OrderedDelivery(Principal principal, EventView view, int maxHeldBytes) {
    this.principal = principal;
    this.view = view;
    this.maxHeldBytes = maxHeldBytes;
  }

  @Override
  public Principal principal() {
    return principal;
  }

  /** The event as this subscriber sees it (its view); null when it sees nothing of it. */
  protected EncodedEvent seen(EncodedEvent e) {
    return view.apply(e);
  }

  /** A subscriber whose channels change (a socket joining a run's room) may come to see events differently. */
  protected void view(EventView v) {
    this.view = v;
  }

  /** The bytes {@code e} takes on the wire for this subscriber, or -1 when it shows nothing of it. */
  protected abstract int sizeOf(EncodedEvent e);

  /** Queues {@code e} (shown, see {@link #sizeOf}) on the transport, unflushed. */
  protected abstract void write(EncodedEvent e);

  /** Sends what was queued on the transport. */
  protected abstract void flushTransport();

  /** Whether the transport takes more now (its unsent bytes are under the bound). */
  public abstract boolean writable();

  /** Closes the transport at once. */
  protected abstract void closeTransport();

  /**
   * Nothing up to {@code seq} is to be written any more: the client was told it is there (a socket's offset mark
   * after it joined a room; events before the join are not its room's).
   */
  protected void skipTo(long seq) {
    lastSent = Math.max(lastSent, seq);
  }

  /** The id of the last event written. */
  public long lastSent() {
    return lastSent;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  /** The transport closed by itself (the client went away). */
  public void markClosed() {
    closed = true;
  }

  @Override
  public boolean offer(EncodedEvent e) {
    if (!admit(e)) {
      return false;
    }
    write(e);
    return true;
  }

  @Override
  public void deliver(EncodedEvent e) {
    if (admit(e)) {
      write(e);
      flushTransport();
    }
  }

  /** Whether a live event is to be written now: not sent yet, shown, not held back, and the client keeps up. */
  private boolean admit(EncodedEvent e) {
    if (closed || e.seq() <= lastSent) {
      return false;
    }
    int size = sizeOf(e);
    if (size < 0) {
      return false; // this subscriber shows nothing of the event
    }
    if (!live) {
      held.add(e);
      heldBytes += size;
      if (heldBytes > maxHeldBytes) {
        cutOff();
      }
      return false;
    }
    if (!writable()) {
      cutOff();
      return false;
    }
    lastSent = e.seq();
    DELIVERED.increment();
    DELIVERED_BYTES.increment(size);
    return true;
  }

  /** Writes replayed events (in order, from memory or a page of the log) and flushes them. */
  public void replay(List<EncodedEvent> events) {
    if (closed || events.isEmpty()) {
      return;
    }
    for (EncodedEvent e : events) {
      if (e.seq() > lastSent && sizeOf(e) >= 0) {
        write(e);
      }
    }
    lastSent = Math.max(lastSent, events.get(events.size() - 1).seq());
    flushTransport();
  }

  /** Replay done up to {@code throughSeq}: releases the held live events and goes live. */
  public void goLive(long throughSeq) {
    if (closed) {
      return;
    }
    lastSent = Math.max(lastSent, throughSeq);
    live = true;
    for (EncodedEvent e : held) {
      if (e.seq() > lastSent) {
        lastSent = e.seq();
        if (sizeOf(e) >= 0) {
          write(e);
        }
      }
    }
    held.clear();
    heldBytes = 0;
    flushTransport();
  }

  public boolean isLive() {
    return live;
  }

  /** Positions start flowing once the latest ones were written ({@link #startPositions}). */
  protected boolean positionsReady() {
    return positionsReady;
  }

  protected void positionsStarted() {
    positionsReady = true;
  }

  @Override
  public boolean markTouched() {
    if (touched) {
      return false;
    }
    touched = true;
    return true;
  }

  @Override
  public void flush() {
    touched = false;
    if (!closed) {
      flushTransport();
    }
  }

  /** Closes this subscriber for good (politely or not: what was written before it is the transport's). */
  protected void close() {
    closed = true;
    held.clear();
  }

  @Override
  public void cutOff() {
    if (!closed) {
      LOG.info("Cutting off a client that cannot keep up (channels {}, last id {}); it resumes on reconnect",
          channels(), lastSent);
      CUT_OFF.increment();
      close();
      closeTransport();
    }
  }
}
