package io.switchboard.gateway.resume;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.switchboard.core.event.Event;
import io.switchboard.core.log.EventLogReader;
import io.switchboard.gateway.fanout.OrderedDelivery;
import io.switchboard.gateway.feed.EncodedEvent;
import io.switchboard.gateway.feed.FrameEncoder;
import io.switchboard.gateway.feed.ResumePlan;
import io.switchboard.gateway.feed.SequencedFeed;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * How a subscriber that was away catches up, for every transport: the feed plans the resume (what the node's
 * memory holds, or not), the missed events are replayed from memory or page by page from PostgreSQL (waiting for
 * the client to take each page, and at a bounded pace for anonymous clients), then the subscriber goes live. The
 * subscriber is registered before the plan is made, so the plan's head splits exactly what is replayed from what
 * arrives live. One per event loop.
 */
public final class Resumer {

  private static final Counter RESUMES_FROM_MEMORY = resumes("memory");
  private static final Counter RESUMES_FROM_LOG = resumes("postgresql");
  private static final Counter RESUMES_RESET = resumes("reset");
  private static final Counter REPLAYED = Counter.builder("switchboard.resume.replayed.events")
      .description("Events replayed to resuming subscribers").register(Metrics.globalRegistry);

  private static Counter resumes(String source) {
    return Counter.builder("switchboard.resumes").tag("source", source)
        .description("Subscribers that resumed from a position, by where the missed events came from")
        .register(Metrics.globalRegistry);
  }

  private final Vertx vertx;
  private final Context context;
  private final SequencedFeed feed;
  private final EventLogReader reader;
  private final int pageSize;
  private final int anonymousRate;

  public Resumer(Vertx vertx, Context context, SequencedFeed feed, EventLogReader reader, int pageSize,
                 int anonymousRate) {
    this.vertx = vertx;
    this.context = context;
    this.feed = feed;
    this.reader = reader;
    this.pageSize = pageSize;
    this.anonymousRate = anonymousRate;
  }

  /** The plan for resuming after {@code lastEventId} (null: from now) on {@code channels}, on this event loop. */
  public Future<ResumePlan> plan(Long lastEventId, List<String> channels) {
    Promise<ResumePlan> p = Promise.promise();
    feed.plan(lastEventId, new LinkedHashSet<>(channels)).onComplete(ar -> context.runOnContext(v -> p.handle(ar)));
    return p.future();
  }

  /**
   * Brings {@code s} from {@code lastEventId} to the plan's head and then live. An expired plan (older than
   * retention) goes live at the head: the transport has told the client to reload. Fails when PostgreSQL cannot
   * be read: the transport then closes, and the client resumes elsewhere or later.
   */
  public Future<Void> catchUp(OrderedDelivery s, ResumePlan plan, Long lastEventId, List<String> channels) {
    if (plan.expired()) {
      RESUMES_RESET.increment();
      s.goLive(plan.head());
    } else if (lastEventId == null || lastEventId >= plan.head()) {
      s.goLive(lastEventId == null ? plan.head() : lastEventId);
    } else if (plan.fromMemory() != null) {
      RESUMES_FROM_MEMORY.increment();
      REPLAYED.increment(plan.fromMemory().size());
      s.replay(plan.fromMemory());
      s.goLive(plan.head());
    } else {
      RESUMES_FROM_LOG.increment();
      Promise<Void> done = Promise.promise();
      fromLog(s, lastEventId, plan.head(), channels, done);
      return done.future();
    }
    return Future.succeededFuture();
  }

  private void fromLog(OrderedDelivery s, long after, long head, List<String> channels, Promise<Void> done) {
    reader.range(after, head, channels, pageSize).onComplete(ar -> context.runOnContext(v -> {
      if (s.isClosed()) {
        done.tryComplete();
        return;
      }
      if (ar.failed()) {
        done.tryFail(ar.cause());
        return;
      }
      List<Event> events = ar.result();
      List<EncodedEvent> encoded = new ArrayList<>(events.size());
      for (Event e : events) {
        encoded.add(FrameEncoder.encode(e));
      }
      REPLAYED.increment(encoded.size());
      s.replay(encoded);
      if (events.size() < pageSize) {
        whenDrained(s).onSuccess(x -> {
          s.goLive(head);
          done.tryComplete();
        }).onFailure(err -> done.tryComplete());
      } else {
        long next = events.get(events.size() - 1).seq();
        whenDrained(s).compose(x -> paced(s, events.size()))
            .onSuccess(x -> fromLog(s, next, head, channels, done))
            .onFailure(err -> done.tryComplete());
      }
    }));
  }

  /**
   * A resume without a token (the shop's public stream) costs the node PostgreSQL reads nobody answers for: its
   * pages are spread so that it replays at most {@code SB_ANONYMOUS_REPLAY_RATE} events a second. Subscribers with
   * a token are bounded by their user's quota instead.
   */
  private Future<Void> paced(OrderedDelivery s, int replayed) {
    if (s.principal() != null || anonymousRate <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    vertx.setTimer(Math.max(1, replayed * 1000L / anonymousRate), t -> p.complete());
    return p.future();
  }

  /** Completes when the subscriber's unsent bytes fell under the bound again (polled: replays are rare). */
  private Future<Void> whenDrained(OrderedDelivery s) {
    Promise<Void> p = Promise.promise();
    pollWritable(s, p);
    return p.future();
  }

  private void pollWritable(OrderedDelivery s, Promise<Void> p) {
    if (s.isClosed()) {
      p.tryFail("closed");
    } else if (s.writable()) {
      p.tryComplete();
    } else {
      vertx.setTimer(20, t -> pollWritable(s, p));
    }
  }
}
