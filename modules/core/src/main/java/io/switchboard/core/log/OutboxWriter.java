package io.switchboard.core.log;

import io.switchboard.core.event.NewEvent;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;


/**
 * Where events are born: producers call {@link #append} on the connection of the transaction that makes their
 * domain change, so the event commits or rolls back with it.
 *
 * <p>Append last in the transaction, after the domain rows are written: the outbox id then comes after any row
 * lock the change waited for, which is what keeps two changes to the same row in order.
 */
public final class OutboxWriter {

  private static final String INSERT =
      "INSERT INTO sb_outbox (channels, type, data) VALUES ($1, $2, $3::text::json) RETURNING event_id::text";

  /** Returns the event's UUID, which also travels in the event's SSE envelope as {@code eventId}. */
  public Future<String> append(SqlClient tx, NewEvent event) {
    return tx.preparedQuery(INSERT)
        .execute(Tuple.of(event.channels().toArray(String[]::new), event.type(), event.data()))
        .map(rows -> rows.iterator().next().getString(0));
  }

}
