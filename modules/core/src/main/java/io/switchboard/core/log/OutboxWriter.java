package io.switchboard.core.log;

import io.switchboard.core.event.NewEvent;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;


/**
 * Where events are born: producers call {@link #append} on the connection of the transaction that makes their
 * domain change, so the event commits or rolls back with it, then {@link #committed} once it has committed.
 *
 * <p>Append last in the transaction, after the domain rows are written: the outbox id then comes after any row
 * lock the change waited for, which is what keeps two changes to the same row in order.
 *
 * <p>A writer with a notifier inserts quiet rows and wakes the relay through it (one coalesced NOTIFY per node);
 * one without lets the table's trigger notify in every transaction, as any other producer's rows do.
 */
public final class OutboxWriter {

  private static final String INSERT = "INSERT INTO sb_outbox (channels, type, data, quiet)"
      + " VALUES ($1, $2, $3::text::json, $4) RETURNING event_id::text";

  private static final String INSERT_MAYBE_NUMBERED = "INSERT INTO sb_outbox (event_id, channels, type, data, quiet,"
      + " maybe_numbered) VALUES ($1::uuid, $2, $3, $4::text::json, $5, true)";

  private final OutboxNotifier notifier;

  private OutboxWriter(OutboxNotifier notifier) {
    this.notifier = notifier;
  }

  /** Quiet inserts; {@link #committed} wakes the relay through {@code notifier}. */
  public static OutboxWriter quiet(OutboxNotifier notifier) {
    return new OutboxWriter(notifier);
  }

  /** Every transaction notifies through the trigger (for tests and tools; slower under load). */
  public static OutboxWriter notifying() {
    return new OutboxWriter(null);
  }

  /** Returns the event's UUID, which also travels in the event's SSE envelope as {@code eventId}. */
  public Future<String> append(SqlClient tx, NewEvent event) {
    return insert(tx, event, notifier != null);
  }

  /**
   * Appends one event as a statement of its own, i.e. its own transaction, and wakes the relay: at its commit,
   * through the trigger, when no wake-up is in flight (one round trip in all), else by a coalesced NOTIFY.
   */
  public Future<String> appendAlone(SqlClient pool, NewEvent event) {
    if (notifier == null) {
      return append(pool, event);
    }
    boolean wakes = notifier.claim();
    return insert(pool, event, !wakes)
        .andThen(ar -> {
          // Even a failed statement may have committed (its answer lost): a spurious wake-up costs nothing.
          if (wakes) {
            notifier.release();
          } else {
            notifier.poke();
          }
        });
  }

  /** Appends several events in one round trip (a batch of inbound messages). */
  public Future<Void> appendAll(SqlClient tx, java.util.List<NewEvent> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    java.util.List<Tuple> rows = new java.util.ArrayList<>(events.size());
    for (NewEvent e : events) {
      rows.add(row(e, notifier != null));
    }
    return tx.preparedQuery(INSERT).executeBatch(rows).mapEmpty();
  }

  /**
   * Writes direct publishes whose numbering is in doubt (the leader could not be asked, or did not answer) with
   * their own event ids, marked so that the relay drops any whose event is in the log already; one transaction,
   * then the relay is woken.
   */
  public Future<Void> appendMaybeNumbered(SqlClient pool, java.util.List<DirectEvent> events) {
    java.util.List<Tuple> rows = new java.util.ArrayList<>(events.size());
    for (DirectEvent d : events) {
      NewEvent e = d.event();
      rows.add(Tuple.of(d.eventId(), e.channels().toArray(String[]::new), e.type(), e.data(), notifier != null));
    }
    return pool.preparedQuery(INSERT_MAYBE_NUMBERED).executeBatch(rows).<Void>mapEmpty().andThen(ar -> committed());
  }

  private static Future<String> insert(SqlClient client, NewEvent event, boolean quiet) {
    return client.preparedQuery(INSERT).execute(row(event, quiet)).map(rows -> rows.iterator().next().getString(0));
  }

  private static Tuple row(NewEvent event, boolean quiet) {
    return Tuple.of(event.channels().toArray(String[]::new), event.type(), event.data(), quiet);
  }

  /** The transaction that appended has committed: wake the relay. */
  public void committed() {
    if (notifier != null) {
      notifier.poke();
    }
  }
}
