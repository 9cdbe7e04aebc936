package io.switchboard.gateway.feed;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.event.Addresses;
import io.switchboard.core.event.Event;
import io.switchboard.core.event.EventBatchCodec;
import io.switchboard.core.log.EventLogReader;
import io.switchboard.core.log.LogState;
import io.switchboard.core.log.Migrations;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The node's view of the event log: the one clustered consumer of sequenced events, turned into a gap-free,
 * duplicate-free, in-order feed for the node's SSE endpoints.
 *
 * <p>The event bus is best-effort, so correctness rests on the contiguous sequence: an event that arrives ahead of
 * a hole is held back while the hole is backfilled from PostgreSQL, and a periodic look at the log's last number
 * catches a hole at the tail (the last batch lost). Frames are encoded here once per node. Runs on one event loop.
 */
public final class SequencedFeed {

  private static final Logger LOG = LoggerFactory.getLogger(SequencedFeed.class);

  private final Vertx vertx;
  private final EventLogReader reader;
  private final SwitchboardConfig.Feed config;
  private final List<FeedListener> listeners = new CopyOnWriteArrayList<>();
  private final TreeMap<Long, Event> ahead = new TreeMap<>();

  private Context context;
  private MessageConsumer<Buffer> consumer;
  private MessageConsumer<Buffer> transientConsumer;
  private EventRing ring;
  private volatile long head = -1;
  private volatile boolean consumerRegistered;
  private long purgedThrough;
  private long tailSeenLastCheck = -1;
  private boolean backfilling;
  private long gapTimer = -1;

  public SequencedFeed(Vertx vertx, EventLogReader reader, SwitchboardConfig.Feed config) {
    this.vertx = vertx;
    this.reader = reader;
    this.config = config;
  }

  /** Registers the clustered consumer; completes once the registration has reached the cluster. */
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    consumer = vertx.eventBus().consumer(Addresses.SEQUENCED_EVENTS, msg -> onBatch(EventBatchCodec.decode(msg.body())));
    transientConsumer = vertx.eventBus().consumer(Addresses.TRANSIENT_EVENTS,
        msg -> dispatchTransient(EventBatchCodec.decode(msg.body())));
    initialiseHead();
    gapTimer = vertx.setPeriodic(config.gapCheckInterval().toMillis(), t -> checkTail());
    return Future.all(consumer.completion(), transientConsumer.completion())
        .onSuccess(v -> consumerRegistered = true).mapEmpty();
  }

  public Future<Void> stop() {
    if (gapTimer >= 0) {
      vertx.cancelTimer(gapTimer);
    }
    return consumer == null ? Future.succeededFuture()
        : Future.all(consumer.unregister(), transientConsumer.unregister()).mapEmpty();
  }

  /** Ready once the consumer is registered cluster-wide and the feed knows where the log stands. */
  public boolean ready() {
    return consumerRegistered && head >= 0;
  }

  public long head() {
    return head;
  }

  public void addListener(FeedListener listener) {
    listeners.add(listener);
  }

  /**
   * Plans a resume after {@code lastEventId} (null: a fresh subscription, start at the head). Runs on the feed's
   * event loop, so everything up to the returned head has been handed to listeners before, and everything after it
   * will be handed to them afterwards: a connection registered before asking misses nothing.
   */
  public Future<ResumePlan> plan(Long lastEventId, Set<String> channels) {
    Promise<ResumePlan> promise = Promise.promise();
    context.runOnContext(v -> {
      long h = head;
      if (h < 0) {
        promise.fail("feed not ready");
      } else if (lastEventId == null || lastEventId == h) {
        promise.complete(new ResumePlan(h, purgedThrough, List.of(), false));
      } else if (lastEventId < purgedThrough) {
        promise.complete(new ResumePlan(h, purgedThrough, List.of(), true));
      } else if (lastEventId > h) {
        // The client saw events this node has not received yet, or an id that was never issued: ask the log.
        reader.state().onComplete(ar -> promise.complete(ar.succeeded() && lastEventId <= ar.result().lastSeq()
            ? new ResumePlan(lastEventId, purgedThrough, List.of(), false)
            : new ResumePlan(h, purgedThrough, List.of(), ar.succeeded())));
      } else if (ring.covers(lastEventId)) {
        promise.complete(new ResumePlan(h, purgedThrough, ring.since(lastEventId, channels), false));
      } else {
        promise.complete(new ResumePlan(h, purgedThrough, null, false));
      }
    });
    return promise.future();
  }

  private void initialiseHead() {
    reader.state()
        .onSuccess(state -> context.runOnContext(v -> {
          purgedThrough = state.purgedThrough();
          ring = new EventRing(config.memoryEvents(), state.lastSeq());
          head = state.lastSeq();
          LOG.info("Feed starts at sequence {}", head);
          List<Event> early = new ArrayList<>(ahead.values());
          ahead.clear();
          accept(early);
        }))
        .onFailure(err -> {
          if (Migrations.notAppliedYet(err)) {
            LOG.info("The event log's schema is not there yet (migrations are running); retrying");
          } else {
            LOG.warn("Cannot read the event log state yet ({}); retrying", err.getMessage());
          }
          vertx.setTimer(1000, t -> initialiseHead());
        });
  }

  private void onBatch(List<Event> events) {
    if (head < 0) {
      for (Event e : events) {
        if (ahead.size() < config.memoryEvents()) {
          ahead.put(e.seq(), e);
        }
      }
      return;
    }
    accept(events);
  }

  /** Takes events in any order; hands on, in order, every one that extends the contiguous head. */
  private void accept(List<Event> events) {
    List<EncodedEvent> out = new ArrayList<>(events.size());
    for (Event e : events) {
      if (e.seq() == head + 1) {
        emit(e, out);
        for (Map.Entry<Long, Event> next = ahead.firstEntry(); next != null && next.getKey() <= head + 1;
             next = ahead.firstEntry()) {
          ahead.pollFirstEntry();
          if (next.getKey() == head + 1) {
            emit(next.getValue(), out);
          }
        }
      } else if (e.seq() > head + 1) {
        ahead.put(e.seq(), e);
        if (ahead.size() > config.memoryEvents()) {
          ahead.pollLastEntry(); // the backfill fetches it again
        }
      }
    }
    dispatch(out);
    if (!ahead.isEmpty()) {
      backfill(ahead.firstKey() - 1);
    }
  }

  private void emit(Event e, List<EncodedEvent> out) {
    EncodedEvent encoded = FrameEncoder.encode(e);
    ring.add(encoded);
    out.add(encoded);
    head = e.seq();
  }

  private void dispatch(List<EncodedEvent> out) {
    if (out.isEmpty()) {
      return;
    }
    List<EncodedEvent> batch = List.copyOf(out);
    for (FeedListener l : listeners) {
      l.context().runOnContext(v -> l.onEvents(batch));
    }
  }

  private void dispatchTransient(List<Event> events) {
    List<EncodedEvent> out = new ArrayList<>(events.size());
    for (Event e : events) {
      out.add(FrameEncoder.encode(e));
    }
    List<EncodedEvent> batch = List.copyOf(out);
    for (FeedListener l : listeners) {
      l.context().runOnContext(v -> l.onTransient(batch));
    }
  }

  /** The tail check waits one interval before backfilling, so a batch still in flight is not fetched twice. */
  private void checkTail() {
    if (head < 0) {
      return;
    }
    reader.state().onSuccess(state -> context.runOnContext(v -> {
      purgedThrough = state.purgedThrough();
      if (tailSeenLastCheck > head) {
        LOG.info("Sequence gap at the tail: head {} < {}, backfilling", head, tailSeenLastCheck);
        backfill(tailSeenLastCheck);
      }
      tailSeenLastCheck = state.lastSeq();
    }));
  }

  private void backfill(long through) {
    if (backfilling || through <= head) {
      return;
    }
    backfilling = true;
    long from = head;
    reader.range(from, through, config.backfillPageSize())
        .onComplete(ar -> context.runOnContext(v -> {
          backfilling = false;
          if (ar.failed()) {
            LOG.warn("Backfill after {} failed: {}", from, ar.cause().getMessage());
            vertx.setTimer(500, t -> backfill(through));
            return;
          }
          List<Event> events = ar.result();
          if (!events.isEmpty() && events.get(0).seq() != head + 1 && head == from) {
            skipPurged(events.get(0).seq() - 1);
          }
          accept(events);
          if (head < through && !events.isEmpty()) {
            backfill(through);
          }
        }));
  }

  /** Events this node never saw were removed by retention meanwhile: nobody can be served them any more. */
  private void skipPurged(long to) {
    LOG.warn("Events {}..{} expired before this node received them; skipping", head + 1, to);
    head = to;
    ring.reset(to);
  }
}
