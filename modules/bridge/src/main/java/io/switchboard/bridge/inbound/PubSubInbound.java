package io.switchboard.bridge.inbound;

import io.switchboard.bridge.redis.RedisLink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Fire-and-forget inbound: the configured pub/sub channels and patterns, on the bridge leader only (so each message
 * is handled once). Messages gather for a few milliseconds and are written as one batch. A Redis restart can go
 * unnoticed on a subscribed connection, so a watchdog checks every few seconds, through the pooled client, that the
 * server still knows this connection's client id; if not, it reconnects and subscribes again. Messages published
 * while no subscriber is connected are lost: that is pub/sub; the durable path is the stream.
 */
public final class PubSubInbound {

  private static final Logger LOG = LoggerFactory.getLogger(PubSubInbound.class);
  private static final int MAX_BATCH = 500;
  private static final int MAX_HELD = 10_000;

  private final Vertx vertx;
  private final Redis pooled;
  private final List<String> channels;
  private final List<String> patterns;
  private final InboundWriter writer;
  private final DeadLetters deadLetters;
  private final long watchMs;
  private final RedisLink link;
  private final List<InboundWriter.Keyed> durable = new ArrayList<>();
  private final List<InboundWriter.Keyed> transients = new ArrayList<>();
  private long clientId = -1;
  private long watchTimer = -1;
  private boolean flushScheduled;
  private boolean writing;
  private long received;

  public PubSubInbound(Vertx vertx, String uri, Redis pooled, List<String> subscriptions, InboundWriter writer,
                       DeadLetters deadLetters, long watchMs) {
    this.vertx = vertx;
    this.pooled = pooled;
    this.channels = subscriptions.stream().filter(s -> !isPattern(s)).toList();
    this.patterns = subscriptions.stream().filter(PubSubInbound::isPattern).toList();
    this.writer = writer;
    this.deadLetters = deadLetters;
    this.watchMs = watchMs;
    this.link = new RedisLink(vertx, "pub/sub inbound", uri, this::subscribe);
  }

  static boolean isPattern(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }

  public void start() {
    link.start();
    watchTimer = vertx.setPeriodic(watchMs, t -> watch());
  }

  public void stop() {
    vertx.cancelTimer(watchTimer);
    link.stop();
  }

  public boolean isUp() {
    return link.isUp();
  }

  public long received() {
    return received;
  }

  private Future<Void> subscribe(RedisConnection conn) {
    conn.handler(this::onPush);
    return conn.send(Request.cmd(Command.CLIENT).arg("ID"))
        .compose(id -> {
          clientId = id.toLong();
          Future<?> subs = channels.isEmpty() ? Future.succeededFuture()
              : conn.send(withArgs(Request.cmd(Command.SUBSCRIBE), channels));
          return subs.compose(v -> patterns.isEmpty() ? Future.succeededFuture()
              : conn.send(withArgs(Request.cmd(Command.PSUBSCRIBE), patterns)));
        })
        .onSuccess(v -> LOG.info("Bridge subscribed to {} {}", channels, patterns))
        .mapEmpty();
  }

  private static Request withArgs(Request r, List<String> args) {
    args.forEach(r::arg);
    return r;
  }

  /** Does the server still know our subscriber? A restarted Redis does not, and says nothing. */
  private void watch() {
    if (!link.isUp() || clientId < 0) {
      return;
    }
    pooled.send(Request.cmd(Command.CLIENT).arg("LIST").arg("ID").arg(clientId))
        .onSuccess(r -> {
          if (r == null || r.toString().isBlank()) {
            link.lost("the server no longer knows the subscriber (restarted?)");
          }
        })
        .onFailure(err -> link.lost("Redis does not answer: " + err.getMessage()));
  }

  private void onPush(Response r) {
    if (r == null || r.size() < 3) {
      return;
    }
    String kind = r.get(0).toString();
    String channel;
    String payload;
    if ("message".equals(kind)) {
      channel = r.get(1).toString();
      payload = r.get(2).toString();
    } else if ("pmessage".equals(kind) && r.size() >= 4) {
      channel = r.get(2).toString();
      payload = r.get(3).toString();
    } else {
      return; // subscribe confirmations, pongs
    }
    received++;
    try {
      InboundMessage m = InboundMessage.parse(payload);
      // Only the leader receives a pub/sub message, once: it needs no key of its own (null) unless it brings one.
      InboundWriter.Keyed k = InboundWriter.keyed(m, null);
      (m.durable() ? durable : transients).add(k);
      scheduleFlush();
    } catch (BadMessage e) {
      deadLetters.send(e.getMessage(), "pubsub:" + channel, payload);
    }
  }

  private void scheduleFlush() {
    if (durable.size() + transients.size() >= MAX_BATCH) {
      flush();
    } else if (!flushScheduled) {
      flushScheduled = true;
      vertx.setTimer(2, t -> {
        flushScheduled = false;
        flush();
      });
    }
  }

  /** One batch at a time, so events keep the order they were published in. */
  private void flush() {
    if (writing || (durable.isEmpty() && transients.isEmpty())) {
      return;
    }
    List<InboundWriter.Keyed> d = new ArrayList<>(durable);
    List<InboundWriter.Keyed> t = new ArrayList<>(transients);
    durable.clear();
    transients.clear();
    writing = true;
    writer.writeDurable(d)
        .compose(w -> {
          w.refused().forEach(r -> deadLetters.send(r.reason(), "pubsub", r.message().message().toJson()));
          return writer.sendTransient(t);
        })
        .onSuccess(n -> {
          writing = false;
          if (!durable.isEmpty() || !transients.isEmpty()) {
            flush();
          }
        })
        .onFailure(err -> {
          writing = false;
          // The publisher has moved on and cannot resend: hold durable messages (bounded) until the database is
          // back; beyond the bound, dead-letter them rather than lose them silently. Transient ones are dropped.
          if (durable.size() + d.size() <= MAX_HELD) {
            durable.addAll(0, d);
            LOG.warn("Cannot write {} pub/sub message(s) ({}); retrying in 1 s", d.size(), err.getMessage());
          } else {
            d.forEach(k -> deadLetters.send("database unavailable: " + err.getMessage(), "pubsub",
                k.message().toJson()));
          }
          vertx.setTimer(1_000, x -> flush());
        });
  }
}
