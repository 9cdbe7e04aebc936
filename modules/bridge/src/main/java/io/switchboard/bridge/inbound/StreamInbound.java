package io.switchboard.bridge.inbound;

import io.switchboard.bridge.redis.RedisLink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
 * Durable inbound: a Redis Stream read by every bridge node through one consumer group (each entry goes to one
 * node). A read batch is written to the log in one transaction and acknowledged only after it committed, so a node
 * that dies mid-batch leaves its entries pending: every node periodically claims entries idle longer than the claim
 * time (XAUTOCLAIM) and writes them; the idempotency key (the message's own, else the entry id) makes the redelivery
 * a no-op if the first write had in fact committed. A node reads its own pending entries again after every
 * reconnect before taking new ones.
 */
public final class StreamInbound {

  private static final Logger LOG = LoggerFactory.getLogger(StreamInbound.class);
  private static final int BLOCK_MS = 1_000;

  private final Vertx vertx;
  private final Redis pooled;
  private final String stream;
  private final String group;
  private final String consumer;
  private final int count;
  private final long claimIdleMs;
  private final InboundWriter writer;
  private final DeadLetters deadLetters;
  private final RedisLink link;
  private boolean pendingFirst = true;
  private long claimTimer = -1;
  private boolean claiming;
  private long written;
  private volatile boolean healthy;

  public StreamInbound(Vertx vertx, String uri, Redis pooled, String stream, String group, String consumer,
                       int count, long claimIdleMs, InboundWriter writer, DeadLetters deadLetters) {
    this.vertx = vertx;
    this.pooled = pooled;
    this.stream = stream;
    this.group = group;
    this.consumer = consumer;
    this.count = count;
    this.claimIdleMs = claimIdleMs;
    this.writer = writer;
    this.deadLetters = deadLetters;
    this.link = new RedisLink(vertx, "stream inbound", uri, this::ready);
  }

  public void start() {
    link.start();
    claimTimer = vertx.setPeriodic(Math.max(1_000, claimIdleMs / 2), t -> claimIdle());
  }

  public void stop() {
    vertx.cancelTimer(claimTimer);
    link.stop();
  }

  public boolean isUp() {
    return link.isUp() && healthy;
  }

  public long written() {
    return written;
  }

  /** A (re)connected link: make sure the group exists, then read, own pending entries first. */
  private Future<Void> ready(RedisConnection conn) {
    pendingFirst = true;
    return conn.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(group).arg("0").arg("MKSTREAM"))
        .recover(err -> String.valueOf(err.getMessage()).contains("BUSYGROUP") ? Future.succeededFuture()
            : Future.failedFuture(err))
        .onSuccess(v -> vertx.runOnContext(x -> read()))
        .mapEmpty();
  }

  private void read() {
    RedisConnection conn = link.connection();
    if (conn == null) {
      return; // the link calls ready() again once it is back
    }
    Request xread = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(group).arg(consumer).arg("COUNT").arg(count);
    if (!pendingFirst) {
      xread.arg("BLOCK").arg(BLOCK_MS);
    }
    xread.arg("STREAMS").arg(stream).arg(pendingFirst ? "0" : ">");
    conn.send(xread)
        .compose(r -> {
          List<Entry> entries = entriesOfRead(r);
          if (pendingFirst && entries.isEmpty()) {
            pendingFirst = false;
          }
          return handle(entries);
        })
        .onSuccess(v -> {
          healthy = true;
          read();
        })
        .onFailure(err -> {
          healthy = false;
          String msg = String.valueOf(err.getMessage());
          if (msg.contains("NOGROUP")) {
            link.lost("the consumer group is gone (Redis restarted without persistence?)");
          } else if (link.connection() != null) {
            // The database, not Redis: entries stay pending; read them again after a pause.
            LOG.warn("Cannot take stream entries ({}); retrying in 1 s", msg);
            pendingFirst = true;
            vertx.setTimer(1_000, t -> read());
          }
        });
  }

  /** Writes the batch, dead-letters what cannot be read, and acknowledges it all once committed. */
  private Future<Void> handle(List<Entry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture();
    }
    List<InboundWriter.Keyed> durable = new ArrayList<>();
    List<InboundWriter.Keyed> transients = new ArrayList<>();
    List<Future<Void>> dead = new ArrayList<>();
    for (Entry e : entries) {
      try {
        InboundMessage m = e.message();
        InboundWriter.Keyed k = InboundWriter.keyed(m, "stream:" + stream + ":" + e.id());
        (m.durable() ? durable : transients).add(k);
      } catch (BadMessage bad) {
        dead.add(deadLetters.send(bad.getMessage(), "stream:" + stream + ":" + e.id(), e.raw()));
      }
    }
    return Future.all(dead)
        .compose(v -> writer.writeDurable(durable))
        .compose(w -> {
          written += w.count();
          List<Future<Void>> refused = new ArrayList<>();
          for (InboundWriter.Refused r : w.refused()) {
            refused.add(deadLetters.send(r.reason(), r.message().key(), r.message().message().toJson()));
          }
          return Future.all(refused);
        })
        .compose(v -> writer.sendTransient(transients))
        .compose(v -> {
          Request ack = Request.cmd(Command.XACK).arg(stream).arg(group);
          entries.forEach(e -> ack.arg(e.id()));
          return pooled.send(ack).mapEmpty();
        });
  }

  /** Takes over entries another consumer (a dead node) read but never acknowledged. */
  private void claimIdle() {
    if (claiming || !link.isUp()) {
      return;
    }
    claiming = true;
    pooled.send(Request.cmd(Command.XAUTOCLAIM).arg(stream).arg(group).arg(consumer).arg(claimIdleMs).arg("0-0")
            .arg("COUNT").arg(count))
        .compose(r -> {
          List<Entry> claimed = r == null || r.size() < 2 ? List.of() : entries(r.get(1));
          if (!claimed.isEmpty()) {
            LOG.info("Claimed {} stream entries left pending by another consumer", claimed.size());
          }
          return handle(claimed);
        })
        .onComplete(ar -> claiming = false);
  }

  /** XREADGROUP (RESP2): [[stream, [[id, [field, value, ...]], ...]]], or null when nothing came. */
  private static List<Entry> entriesOfRead(Response r) {
    if (r == null || r.size() == 0) {
      return List.of();
    }
    return entries(r.get(0).get(1));
  }

  private static List<Entry> entries(Response list) {
    List<Entry> out = new ArrayList<>();
    if (list == null) {
      return out;
    }
    for (Response item : list) {
      if (item == null || item.size() < 2 || item.get(1) == null) {
        continue; // an entry deleted while pending
      }
      Response fields = item.get(1);
      JsonObject map = new JsonObject();
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        map.put(fields.get(i).toString(), fields.get(i + 1).toString());
      }
      out.add(new Entry(item.get(0).toString(), map));
    }
    return out;
  }

  /**
   * One stream entry: either a {@code payload} field holding the whole JSON message, or the message's fields as
   * entry fields ({@code channels} as a JSON array or a comma list, {@code type}, {@code data} as JSON,
   * {@code idempotencyKey}, {@code durable}).
   */
  record Entry(String id, JsonObject fields) {

    String raw() {
      return fields.containsKey("payload") ? fields.getString("payload") : fields.encode();
    }

    InboundMessage message() {
      if (fields.containsKey("payload")) {
        return InboundMessage.parse(fields.getString("payload"));
      }
      int size = 0;
      for (var field : fields) {
        size += field.getKey().length() + String.valueOf(field.getValue()).length();
      }
      if (size > InboundMessage.MAX_BYTES) {
        throw new BadMessage("message larger than " + InboundMessage.MAX_BYTES + " bytes");
      }
      JsonObject o = new JsonObject();
      String channels = fields.getString("channels", fields.getString("channel"));
      if (channels != null) {
        o.put("channels", channels.trim().startsWith("[") ? parseArray(channels)
            : new JsonArray(List.of((Object[]) channels.split(","))));
      }
      o.put("type", fields.getString("type"));
      if (fields.containsKey("data")) {
        try {
          o.put("data", io.vertx.core.json.Json.decodeValue(fields.getString("data")));
        } catch (io.vertx.core.json.DecodeException e) {
          throw new BadMessage("'data' is not JSON");
        }
      }
      if (fields.containsKey("idempotencyKey")) {
        o.put("idempotencyKey", fields.getString("idempotencyKey"));
      }
      if (fields.containsKey("durable")) {
        o.put("durable", Boolean.parseBoolean(fields.getString("durable")));
      }
      return InboundMessage.of(o);
    }

    private static JsonArray parseArray(String s) {
      try {
        return new JsonArray(s);
      } catch (io.vertx.core.json.DecodeException e) {
        throw new BadMessage("'channels' is not a JSON array");
      }
    }
  }
}
