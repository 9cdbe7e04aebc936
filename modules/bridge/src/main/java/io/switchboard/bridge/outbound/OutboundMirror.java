package io.switchboard.bridge.outbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.switchboard.bridge.redis.RedisLink;
import io.switchboard.core.dialect.Family;
import io.switchboard.core.dialect.Frame;
import io.switchboard.core.event.Addresses;
import io.switchboard.core.event.Event;
import io.switchboard.core.event.EventBatchCodec;
import io.switchboard.core.log.EventLogReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Mirrors every committed event to Redis, in sequence order, for services that consume from Redis: a PUBLISH on
 * {@code <prefix><channel>} for each of its channels and, optionally, an XADD to a capped stream, each carrying
 * the generic stream's JSON (with {@code id}, the sequence number). Only the bridge leader mirrors. It records the
 * last mirrored number in Redis, so a new leader continues where the old one stopped (reading the gap from the
 * log): delivery is at least once, and consumers drop numbers they have seen.
 *
 * <p>The events go out on a dedicated connection ({@link RedisLink}), not the pooled client: a pool lease per batch
 * was a fifth of the mirror's CPU. Batches that queued while one was in flight go out together, and so do those
 * that arrive within the linger: at a few hundred events a second the relay sends about one event per batch, and
 * each Redis round trip is a socket write and read on this node. A Redis consumer gets an event at most the linger
 * later; the SSE streams do not wait for the mirror.
 */
public final class OutboundMirror {

  private static final Counter MIRRORED = Counter.builder("switchboard.bridge.outbound")
      .description("Events mirrored to Redis by the bridge leader").register(Metrics.globalRegistry);

  private static final Logger LOG = LoggerFactory.getLogger(OutboundMirror.class);
  private static final int PAGE = 1_000;
  /**
   * The cursor goes with the events at most this often: it only bounds what a new leader repeats, and a SET per
   * event was a third of the mirror's commands.
   */
  private static final long CURSOR_EVERY_MS = 200;

  private final Vertx vertx;
  private final Redis redis;
  private final RedisLink link;
  private final EventLogReader log;
  private final String prefix;
  private final String stream;
  private final int streamMaxLen;
  private final String cursorKey;
  private final long lingerMs;
  private final ArrayDeque<List<Event>> queue = new ArrayDeque<>();
  private MessageConsumer<Buffer> consumer;
  private boolean active;
  private boolean busy;
  private long last = -1;
  private long cursorWrittenAt;
  private long cursorTimer = -1;
  private long lingerTimer = -1;
  private volatile boolean healthy = true;

  /** {@code redis} serves the rare cursor reads and writes; the events go through a link to {@code uri}. */
  public OutboundMirror(Vertx vertx, Redis redis, String uri, EventLogReader log, String prefix, String stream,
                        int streamMaxLen, long lingerMs) {
    this.vertx = vertx;
    this.redis = redis;
    this.link = new RedisLink(vertx, "mirror", uri, conn -> Future.succeededFuture());
    this.log = log;
    this.prefix = prefix;
    this.stream = stream;
    this.streamMaxLen = streamMaxLen;
    this.lingerMs = lingerMs;
    this.cursorKey = (prefix.isEmpty() ? "switchboard:out:" : prefix) + "_last";
  }

  public boolean enabled() {
    return !prefix.isEmpty() || !stream.isEmpty();
  }

  public Future<Void> start() {
    if (enabled()) {
      link.start();
    }
    consumer = vertx.eventBus().consumer(Addresses.SEQUENCED_EVENTS, msg -> {
      if (active) {
        queue.add(EventBatchCodec.decode(msg.body()));
        drainSoon();
      }
    });
    return consumer.completion();
  }

  /** This node became the bridge leader: continue from the last mirrored number. */
  public void activate() {
    if (!enabled()) {
      return;
    }
    active = true;
    last = -1;
    queue.clear();
    busy = true;
    redis.send(Request.cmd(Command.GET).arg(cursorKey))
        .compose(v -> v != null ? Future.succeededFuture(v.toLong())
            : log.state().map(s -> s.lastSeq())) // first mirror ever: from now on
        .onSuccess(seq -> {
          last = seq;
          LOG.info("Mirroring events to Redis after #{}", seq);
          healthy = true;
          busy = false;
          drain();
        })
        .onFailure(err -> {
          busy = false;
          healthy = false;
          LOG.warn("Cannot start mirroring ({}); retrying", err.getMessage());
          vertx.setTimer(1_000, t -> {
            if (active) {
              activate();
            }
          });
        });
  }

  public void deactivate() {
    active = false;
    queue.clear();
  }

  public boolean isUp() {
    return !active || healthy;
  }

  public long lastMirrored() {
    return last;
  }

  /** Waits the linger for more batches to join the first one queued since the last send. */
  private void drainSoon() {
    if (lingerMs <= 0) {
      drain();
    } else if (lingerTimer < 0 && !busy) {
      lingerTimer = vertx.setTimer(lingerMs, t -> {
        lingerTimer = -1;
        drain();
      });
    }
  }

  /** One batch at a time, in order; a gap is read from the log first. */
  private void drain() {
    if (busy || !active || last < 0 || queue.isEmpty()) {
      return;
    }
    List<Event> batch = queue.peek();
    long first = batch.get(0).seq();
    Future<List<Event>> toSend;
    if (first > last + 1) {
      // Missed while electing, or a lost bus message; what retention removed already is skipped.
      toSend = log.range(last, first - 1, PAGE).map(missed -> {
        if (missed.isEmpty()) {
          last = first - 1;
        }
        return missed;
      });
    } else {
      List<Event> fresh = new ArrayList<>();
      long through = last;
      while (!queue.isEmpty() && queue.peek().get(0).seq() <= through + 1 && fresh.size() < PAGE) {
        for (Event e : queue.poll()) {
          if (e.seq() > through) {
            fresh.add(e);
            through = e.seq();
          }
        }
      }
      toSend = Future.succeededFuture(fresh);
    }
    busy = true;
    toSend.compose(this::mirror)
        .onSuccess(v -> {
          healthy = true;
          busy = false;
          drain();
        })
        .onFailure(err -> {
          healthy = false;
          LOG.warn("Cannot mirror events to Redis ({}); retrying", err.getMessage());
          vertx.setTimer(1_000, t -> {
            busy = false;
            drain();
          });
        });
  }

  private Future<Void> mirror(List<Event> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Request> batch = new ArrayList<>();
    for (Event e : events) {
      Frame frame = Family.CORE.render(e); // never null for stored JSON; a failure is logged, the rest goes on
      if (frame == null) {
        continue;
      }
      String json = frame.json();
      if (!prefix.isEmpty()) {
        for (String c : e.channels()) {
          batch.add(Request.cmd(Command.PUBLISH).arg(prefix + c).arg(json));
        }
      }
      if (!stream.isEmpty()) {
        batch.add(Request.cmd(Command.XADD).arg(stream).arg("MAXLEN").arg("~").arg(streamMaxLen).arg("*")
            .arg("seq").arg(e.seq()).arg("type").arg(e.type()).arg("payload").arg(json));
      }
    }
    long through = events.get(events.size() - 1).seq();
    long now = System.currentTimeMillis();
    if (now - cursorWrittenAt >= CURSOR_EVERY_MS) {
      cursorWrittenAt = now;
      batch.add(Request.cmd(Command.SET).arg(cursorKey).arg(through));
    } else {
      writeCursorLater();
    }
    RedisConnection conn = link.connection();
    if (conn == null) {
      return Future.failedFuture("the Redis link is reconnecting");
    }
    return conn.batch(batch).onSuccess(r -> {
      last = through;
      MIRRORED.increment(events.size());
    }).mapEmpty();
  }

  /** Traffic may stop after this batch: the cursor still catches up, once nothing is in flight. */
  private void writeCursorLater() {
    if (cursorTimer >= 0) {
      return;
    }
    cursorTimer = vertx.setTimer(CURSOR_EVERY_MS, t -> {
      cursorTimer = -1;
      if (!active) {
        return;
      }
      if (busy) {
        writeCursorLater(); // the batch in flight may carry a newer number; write after it
        return;
      }
      cursorWrittenAt = System.currentTimeMillis();
      long through = last;
      redis.send(Request.cmd(Command.SET).arg(cursorKey).arg(through))
          .onFailure(err -> LOG.debug("Cannot record the mirror's position ({})", err.getMessage()));
    });
  }

  public Future<Void> stop() {
    active = false;
    link.stop();
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
