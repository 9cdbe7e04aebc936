package io.switchboard.gateway.fanout;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.switchboard.gateway.feed.EncodedEvent;
import io.switchboard.gateway.feed.FeedListener;
import io.switchboard.gateway.feed.SequencedFeed;
import io.switchboard.gateway.live.LiveFleet;
import io.switchboard.gateway.live.LiveFrame;
import io.switchboard.gateway.live.LiveListener;
import io.switchboard.gateway.live.LiveTick;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where the node's events meet its subscribers, on one event loop: every transport's subscribers (SSE streams,
 * Socket.IO sockets) of this loop are in one channel index, and each event is handed to the subscribers of its
 * channels. Live frames of one dispatch are queued unflushed and flushed once per subscriber, so they leave in one
 * write; a dispatch of a single event is written at once. A failure for one subscriber cuts that one off and
 * touches nothing else.
 */
public final class Fanout implements FeedListener, LiveListener {

  private static final Timer FEED_LAG = Timer.builder("switchboard.feed.lag")
      .description("From an event's commit to its fan-out on an event loop of this node").publishPercentileHistogram()
      .register(Metrics.globalRegistry);

  private static final Logger LOG = LoggerFactory.getLogger(Fanout.class);

  private final Context context;
  private final ChannelIndex index = new ChannelIndex();
  private final List<Subscriber> touched = new ArrayList<>();
  private final long flushTimer;
  private long lastDispatched;

  /**
   * On the calling context, which must be the event loop of the subscribers it will hold. {@code flushWindow}
   * above zero gathers a window's events before flushing (coalescing; {@code SB_SSE_FLUSH_WINDOW}).
   */
  public Fanout(Vertx vertx, SequencedFeed feed, LiveFleet fleet, Duration flushWindow) {
    this.context = vertx.getOrCreateContext();
    long window = flushWindow.toMillis();
    this.flushTimer = window > 0 ? vertx.setPeriodic(window, t -> flushTouched()) : -1;
    feed.addListener(this);
    fleet.addListener(this);
  }

  @Override
  public Context context() {
    return context;
  }

  /** Indexes a subscriber under all of its channels. */
  public void add(Subscriber s) {
    index.add(s);
    OpenStreams.opened(s);
  }

  /** Returns false when it was not indexed (removed already). */
  public boolean remove(Subscriber s) {
    if (!index.remove(s)) {
      return false;
    }
    OpenStreams.closed(s);
    return true;
  }

  /** A subscriber takes one more channel (a Socket.IO room). */
  public void join(Subscriber s, String channel) {
    index.join(s, channel);
  }

  public void leave(Subscriber s, String channel) {
    index.leave(s, channel);
  }

  public Set<Subscriber> all() {
    return index.all();
  }

  public int count() {
    return index.count();
  }

  /**
   * The sequence number of the last event handed to this loop's subscribers: every subscriber that is live has been
   * offered everything up to it.
   */
  public long lastDispatched() {
    return lastDispatched;
  }

  @Override
  public void onEvents(List<EncodedEvent> events) {
    EncodedEvent last = events.get(events.size() - 1);
    lastDispatched = Math.max(lastDispatched, last.seq());
    // Once per batch: the newest event's age when this loop starts writing it (timestamps are the commit's).
    FEED_LAG.record(Math.max(0, System.currentTimeMillis() - last.event().timestampMillis()), TimeUnit.MILLISECONDS);
    if (events.size() == 1 && flushTimer < 0) {
      // One event gives each subscriber at most one frame: send it on the spot, in a single pass.
      EncodedEvent e = events.get(0);
      List<String> chs = e.channels();
      for (int i = 0; i < chs.size(); i++) {
        for (Subscriber s : index.on(chs.get(i))) {
          try {
            s.deliver(e);
          } catch (RuntimeException err) {
            failed(s, e.seq(), err);
          }
        }
      }
      return;
    }
    for (EncodedEvent e : events) {
      List<String> chs = e.channels();
      for (int i = 0; i < chs.size(); i++) {
        for (Subscriber s : index.on(chs.get(i))) {
          try {
            if (s.offer(e) && s.markTouched()) {
              touched.add(s);
            }
          } catch (RuntimeException err) {
            failed(s, e.seq(), err);
          }
        }
      }
    }
    if (flushTimer < 0) {
      flushTouched();
    }
  }

  @Override
  public void onTransient(List<EncodedEvent> events) {
    for (EncodedEvent e : events) {
      List<String> chs = e.channels();
      for (int i = 0; i < chs.size(); i++) {
        for (Subscriber s : index.on(chs.get(i))) {
          try {
            if (s.offerTransient(e) && s.markTouched()) {
              touched.add(s);
            }
          } catch (RuntimeException err) {
            failed(s, -1, err);
          }
        }
      }
    }
    flushTouched();
  }

  @Override
  public void onTick(LiveTick tick) {
    if (index.count() == 0) {
      return;
    }
    tick.drivers().forEach((driverId, frame) -> offerLive(index.on("driver:" + driverId), frame));
    tick.fleets().forEach((tenant, frame) -> offerLive(index.on("fleet:" + tenant), frame));
    flushTouched();
  }

  private void offerLive(Subscriber[] subscribers, LiveFrame frame) {
    for (Subscriber s : subscribers) {
      try {
        if (s.offerLive(frame) && s.markTouched()) {
          touched.add(s);
        }
      } catch (RuntimeException err) {
        failed(s, -1, err);
      }
    }
  }

  private void flushTouched() {
    for (int i = 0; i < touched.size(); i++) {
      Subscriber s = touched.get(i);
      try {
        s.flush();
      } catch (RuntimeException err) {
        failed(s, -1, err);
      }
    }
    touched.clear();
  }

  /**
   * Something failed for one subscriber only (a bug we did not foresee): it is cut off, resumes from its last id
   * when it reconnects, and every other subscriber and event goes on. Its transport's close handling removes it
   * (and releases what it counted against).
   */
  private void failed(Subscriber s, long seq, RuntimeException err) {
    LOG.warn("Writing event {} to a subscriber failed ({}); cutting it off, it resumes on reconnect",
        seq < 0 ? "-" : seq, err.toString());
    s.cutOff();
  }
}
