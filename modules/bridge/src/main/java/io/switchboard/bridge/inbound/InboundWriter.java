package io.switchboard.bridge.inbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.switchboard.core.event.Addresses;
import io.switchboard.core.event.Event;
import io.switchboard.core.event.EventBatchCodec;
import io.switchboard.core.event.NewEvent;
import io.switchboard.core.log.OutboxWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Where bridge events are born. Durable messages of a batch are written in one transaction: their idempotency keys
 * (a message without one is keyed by where it came from, e.g. its stream entry id) and, for the keys that were new,
 * their outbox rows — so a key is applied once even when a message is delivered again after a failover. Transient
 * messages go straight to every node's live streams, after the same key check when they carry a key.
 */
public final class InboundWriter {

  private static final Counter DURABLE_IN = inbound("durable");
  private static final Counter TRANSIENT_IN = inbound("transient");

  private static Counter inbound(String kind) {
    return Counter.builder("switchboard.bridge.inbound").tag("kind", kind)
        .description("Bridge messages written: durable ones committed to the log, transient ones published")
        .register(Metrics.globalRegistry);
  }

  /** A parsed message and the key that makes it unique. */
  public record Keyed(InboundMessage message, String key) {}

  private static final String CLAIM = "INSERT INTO bridge_idempotency (key) SELECT unnest($1::text[])"
      + " ON CONFLICT DO NOTHING RETURNING key";

  private final Vertx vertx;
  private final Pool pool;
  private final OutboxWriter outbox;

  public InboundWriter(Vertx vertx, Pool pool, OutboxWriter outbox) {
    this.vertx = vertx;
    this.pool = pool;
    this.outbox = outbox;
  }

  /** A message PostgreSQL refused for its data, and why: it goes to the dead letters. */
  public record Refused(Keyed message, String reason) {}

  /** What a batch came to: how many events were new (not duplicates), and the messages PostgreSQL refused. */
  public record Written(int count, List<Refused> refused) {}

  /**
   * Writes the durable messages of {@code batch}, in order. A batch PostgreSQL refuses for its data (SQLSTATE
   * classes 22 and 23: a value it cannot store) is split in halves until each refused message is alone; those are
   * handed back, every other message is written. Fails only when the database is away: then nothing is lost, and
   * the caller retries the batch.
   */
  public Future<Written> writeDurable(List<Keyed> batch) {
    return writeBatch(batch).map(n -> new Written(n, List.of())).recover(err -> {
      if (!refusedForData(err)) {
        return Future.failedFuture(err);
      }
      if (batch.size() == 1) {
        return Future.succeededFuture(new Written(0, List.of(new Refused(batch.get(0),
            "PostgreSQL refused the message: " + err.getMessage()))));
      }
      int half = batch.size() / 2;
      return writeDurable(batch.subList(0, half)).compose(a -> writeDurable(batch.subList(half, batch.size()))
          .map(b -> {
            List<Refused> refused = new ArrayList<>(a.refused());
            refused.addAll(b.refused());
            return new Written(a.count() + b.count(), refused);
          }));
    });
  }

  private static boolean refusedForData(Throwable err) {
    return err instanceof PgException pg && pg.getSqlState() != null
        && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
  }

  private Future<Integer> writeBatch(List<Keyed> batch) {
    if (batch.isEmpty()) {
      return Future.succeededFuture(0);
    }
    String[] keys = batch.stream().map(Keyed::key).filter(java.util.Objects::nonNull).toArray(String[]::new);
    return pool.withTransaction(conn -> (keys.length == 0 ? Future.succeededFuture(new HashSet<String>())
            : conn.preparedQuery(CLAIM).execute(Tuple.of((Object) keys)).map(InboundWriter::keysOf))
            .compose(fresh -> {
              List<NewEvent> events = new ArrayList<>();
              for (Keyed k : batch) {
                if (k.key() == null || fresh.remove(k.key())) { // unkeyed, or the first occurrence of a new key
                  InboundMessage m = k.message();
                  events.add(new NewEvent(m.channels(), m.type(), m.data()));
                }
              }
              return outbox.appendAll(conn, events).map(events.size());
            }))
        .onSuccess(n -> {
          DURABLE_IN.increment(n);
          if (n > 0) {
            outbox.committed();
          }
        });
  }

  /** Sends transient messages to every node's live streams; a keyed one only the first time. */
  public Future<Integer> sendTransient(List<Keyed> batch) {
    if (batch.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<Keyed> keyed = batch.stream().filter(k -> k.message().idempotencyKey() != null).toList();
    Future<Set<String>> fresh = keyed.isEmpty() ? Future.succeededFuture(Set.of())
        : pool.preparedQuery(CLAIM).execute(Tuple.of((Object) keyed.stream().map(Keyed::key).toArray(String[]::new)))
            .map(InboundWriter::keysOf);
    return fresh.map(newKeys -> {
      List<Event> events = new ArrayList<>();
      long now = System.currentTimeMillis();
      for (Keyed k : batch) {
        if (k.message().idempotencyKey() == null || newKeys.remove(k.key())) {
          InboundMessage m = k.message();
          events.add(new Event(-1, UUID.randomUUID().toString(), m.channels(), m.type(), m.data(), now));
        }
      }
      if (!events.isEmpty()) {
        vertx.eventBus().publish(Addresses.TRANSIENT_EVENTS, EventBatchCodec.encode(events));
      }
      TRANSIENT_IN.increment(events.size());
      return events.size();
    });
  }

  /** The keys a claim inserted: those seen for the first time. */
  private static Set<String> keysOf(Iterable<Row> rows) {
    Set<String> out = new HashSet<>();
    for (Row r : rows) {
      out.add(r.getString(0));
    }
    return out;
  }

  /**
   * Forgets keys: a service's own keys after the event log's retention; a stream entry's id once no redelivery of
   * it can come any more ({@code entryKeys}, an hour: entries are claimed after {@code SB_BRIDGE_CLAIM_IDLE}), so
   * the table stays small at thousands of entries a second.
   */
  public Future<Integer> expireKeys(java.time.Duration retention, java.time.Duration entryKeys) {
    return pool.preparedQuery("DELETE FROM bridge_idempotency WHERE created_at < now() - ($1 || ' seconds')::interval"
            + " OR (key LIKE 'stream:%' AND created_at < now() - ($2 || ' seconds')::interval)")
        .execute(Tuple.of(String.valueOf(retention.toSeconds()), String.valueOf(entryKeys.toSeconds())))
        .map(rows -> rows.rowCount());
  }

  /** The key a message is known by: its own, or where it came from (null: it needs none). */
  public static Keyed keyed(InboundMessage m, String origin) {
    return new Keyed(m, m.idempotencyKey() != null ? "key:" + m.idempotencyKey() : origin);
  }
}
