package io.switchboard.core.log;

import io.switchboard.core.event.Event;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads numbered events back from PostgreSQL: gap backfill for the node feed, and replay for resuming clients. */
public final class EventLogReader {

  private static final String COLUMNS = "seq, event_id::text, channels, type, data::text, (extract(epoch FROM created_at) * 1000)::bigint";
  private static final String RANGE =
      "SELECT " + COLUMNS + " FROM sb_events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3";
  private static final String RANGE_ON_CHANNELS =
      "SELECT " + COLUMNS + " FROM sb_events WHERE seq > $1 AND seq <= $2 AND channels && $3 ORDER BY seq LIMIT $4";
  private static final String AFTER_TIME_ON_CHANNELS =
      "SELECT " + COLUMNS + " FROM sb_events WHERE created_at > $1 AND channels && $2 ORDER BY seq LIMIT $3";
  private static final String STATE = "SELECT last_seq, purged_through FROM sb_log_state WHERE id = 1";

  private final Pool pool;

  public EventLogReader(Pool pool) {
    this.pool = pool;
  }

  public Future<LogState> state() {
    return pool.query(STATE).execute().map(rows -> {
      Row r = rows.iterator().next();
      return new LogState(r.getLong(0), r.getLong(1));
    });
  }

  /** Events with {@code afterSeq < seq <= throughSeq}, in order, at most {@code limit}. */
  public Future<List<Event>> range(long afterSeq, long throughSeq, int limit) {
    return pool.preparedQuery(RANGE).execute(Tuple.of(afterSeq, throughSeq, limit)).map(EventLogReader::events);
  }

  /** As {@link #range(long, long, int)}, only events on at least one of {@code channels}. */
  public Future<List<Event>> range(long afterSeq, long throughSeq, List<String> channels, int limit) {
    return pool.preparedQuery(RANGE_ON_CHANNELS)
        .execute(Tuple.of(afterSeq, throughSeq, channels.toArray(String[]::new), limit))
        .map(EventLogReader::events);
  }

  /** Events on {@code channels} created after {@code time}, in order: for clients that keep a clock, not an id. */
  public Future<List<Event>> after(java.time.OffsetDateTime time, List<String> channels, int limit) {
    return pool.preparedQuery(AFTER_TIME_ON_CHANNELS)
        .execute(Tuple.of(time, channels.toArray(String[]::new), limit))
        .map(EventLogReader::events);
  }

  static List<Event> events(Iterable<Row> rows) {
    List<Event> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(toEvent(r));
    }
    return out;
  }

  static Event toEvent(Row r) {
    return new Event(r.getLong(0), r.getString(1), Arrays.asList(r.getArrayOfStrings(2)), r.getString(3),
        r.getString(4), r.getLong(5));
  }
}
