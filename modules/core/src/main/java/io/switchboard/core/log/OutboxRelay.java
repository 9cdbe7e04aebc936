package io.switchboard.core.log;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.event.Addresses;
import io.switchboard.core.event.Event;
import io.switchboard.core.event.EventBatchCodec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where events are sequenced. One relay in the cluster (see {@link LeaderElection}) moves committed outbox rows
 * into the event log, giving each the next number of the global sequence, and publishes them on the clustered
 * event bus in that order.
 *
 * <p>Numbering is one SQL statement run on the connection that holds the advisory lock: read the last number,
 * lock and take a batch of outbox rows in id order, number them contiguously, move them, bump the counter. It
 * commits atomically, so a relay that dies mid-way leaves no hole, and a relay that lost its lock has lost its
 * connection and can number nothing.
 *
 * <p>The batch is deleted by the row addresses it locked (a TID scan): the outbox is a queue, its heap is mostly
 * dead rows between vacuums, and a join on ids was planned as a sequential scan of all of them (7 ms a batch
 * after a burst, measured with auto_explain). See also {@code enable_seqscan} in {@link #lead}.
 */
public final class OutboxRelay extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  /** An event's commit (its outbox row's, or the numbering statement's for direct publishes) to its numbering. */
  private static final Timer RELAY_LAG = Timer.builder("switchboard.relay.lag")
      .description("From an event's commit to its numbering by the relay leader").publishPercentileHistogram()
      .register(Metrics.globalRegistry);

  /**
   * $1: how many outbox rows at most; $2..$5: the direct events (ids, channels as JSON arrays, types, data), numbered
   * after the outbox rows, so an outbox row committed before a publish was sent is numbered before it. An outbox row
   * that retries a direct publish ({@code maybe_numbered}) is dropped when its event is in the log already, and a
   * direct event whose retry is in this batch is left to the retry: each event is numbered once (the unique index
   * on {@code sb_events.event_id} is the last word).
   */
  static final String NUMBER_BATCH = """
      WITH state AS (
        SELECT last_seq FROM sb_log_state WHERE id = 1 FOR UPDATE
      ), picked AS (
        SELECT ctid AS row_ctid, id, event_id, channels, type, data, created_at, maybe_numbered FROM sb_outbox
        ORDER BY id LIMIT $1 FOR UPDATE
      ), fresh AS (
        SELECT * FROM picked p
        WHERE NOT (p.maybe_numbered AND EXISTS (SELECT 1 FROM sb_events e WHERE e.event_id = p.event_id))
      ), direct AS (
        SELECT d.event_id::uuid AS event_id, ARRAY(SELECT json_array_elements_text(d.channels::json)) AS channels,
               d.type, d.data::json AS data, d.ord
        FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS d(event_id, channels, type, data, ord)
        WHERE d.event_id::uuid NOT IN (SELECT event_id FROM picked WHERE maybe_numbered)
      ), numbered AS (
        SELECT f.event_id, f.channels, f.type, f.data, f.created_at,
               (SELECT last_seq FROM state) + row_number() OVER (ORDER BY f.id) AS seq FROM fresh f
        UNION ALL
        SELECT d.event_id, d.channels, d.type, d.data, clock_timestamp(),
               (SELECT last_seq FROM state) + (SELECT count(*) FROM fresh) + row_number() OVER (ORDER BY d.ord)
        FROM direct d
      ), moved AS (
        DELETE FROM sb_outbox WHERE ctid = ANY(ARRAY(SELECT row_ctid FROM picked))
      ), bumped AS (
        UPDATE sb_log_state SET last_seq = last_seq + (SELECT count(*) FROM numbered)
        WHERE id = 1 AND EXISTS (SELECT 1 FROM numbered)
      ), inserted AS (
        INSERT INTO sb_events (seq, event_id, channels, type, data, created_at)
        SELECT seq, event_id, channels, type, data, created_at FROM numbered
        RETURNING seq, event_id::text, channels, type, data::text, (extract(epoch FROM created_at) * 1000)::bigint
      )
      SELECT * FROM inserted ORDER BY seq
      """;

  private final SwitchboardConfig config;
  private LeaderElection election;
  private Pool pool;
  private RetentionJob retention;
  private QueueVacuum vacuum;
  private PgConnection leaderConnection;
  private long pollTimer = -1;
  private boolean draining;
  private boolean drainAgain;
  private DirectQueue direct;
  private long depthTimer = -1;
  private volatile long outboxDepth;
  private MessageConsumer<JsonArray> directConsumer;

  private static final int DEPTH_CAP = 100_000;
  private static final long DEPTH_INTERVAL_MS = 5_000;

  public OutboxRelay(SwitchboardConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    pool = PgClients.pool(vertx, config.postgres()); // the node's shared pool (shared by name)
    // A batch older than half its publisher's timeout is left to the publisher's outbox retry.
    direct = new DirectQueue(config.relay().directTimeout().toMillis() / 2);
    retention = new RetentionJob(vertx, pool, config.relay());
    vacuum = new QueueVacuum(vertx, pool, config.relay().vacuumInterval());
    election = new LeaderElection(vertx, PgClients.connectOptions(config.postgres()), config.relay().lockKey(),
        Duration.ofSeconds(1), this::lead, v -> stepDown());
    election.start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stepDown();
    election.stop();
    return pool.close();
  }

  public boolean isLeader() {
    return election != null && election.isLeader();
  }

  /** Committed events not numbered yet, as the leader last counted them (0 on other nodes). */
  public long outboxDepth() {
    return outboxDepth;
  }

  private void countDepth() {
    // Capped: a count of a large backlog would be a long scan, and "more than 100,000" says enough.
    pool.query("SELECT count(*) FROM (SELECT 1 FROM sb_outbox LIMIT " + DEPTH_CAP + ") backlog").execute()
        .onSuccess(rows -> outboxDepth = isLeader() ? rows.iterator().next().getLong(0) : 0)
        .onFailure(err -> LOG.debug("Cannot count the outbox: {}", err.getMessage()));
  }

  private void lead(PgConnection conn) {
    leaderConnection = conn;
    conn.notificationHandler(n -> drain());
    // The relay's statements are index and row-address lookups on a queue table whose statistics say "tiny"
    // while its heap is mostly dead rows: a cached generic plan chose a sequential scan for the delete (5 ms a
    // batch after a burst). On this connection only, sequential scans are never the right plan.
    // LISTEN before the first drain: a NOTIFY sent in between would otherwise be lost.
    conn.query("SET enable_seqscan = off").execute()
        .compose(v -> conn.query("LISTEN sb_outbox").execute())
        .onSuccess(v -> drain())
        .onFailure(err -> LOG.warn("LISTEN failed: {}", err.getMessage()));
    pollTimer = vertx.setPeriodic(config.relay().pollInterval().toMillis(), t -> drain());
    // Direct publishes come to the leader only: a publisher finds no handler while there is none, and uses the
    // outbox. Only this verticle's context touches the queue.
    directConsumer = vertx.eventBus().consumer(Addresses.DIRECT_EVENTS, m -> {
      direct.add(m);
      drain();
    });
    retention.start();
    vacuum.start();
    depthTimer = vertx.setPeriodic(0, DEPTH_INTERVAL_MS, t -> countDepth());
  }

  private void stepDown() {
    leaderConnection = null;
    if (directConsumer != null) {
      directConsumer.unregister();
      directConsumer = null;
    }
    if (direct != null) {
      direct.failAll("the relay stepped down");
    }
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
      pollTimer = -1;
    }
    if (depthTimer >= 0) {
      vertx.cancelTimer(depthTimer);
      depthTimer = -1;
    }
    outboxDepth = 0;
    if (retention != null) {
      retention.pause();
      vacuum.pause();
    }
    draining = false;
    drainAgain = false;
  }

  private void drain() {
    if (leaderConnection == null) {
      return;
    }
    if (draining) {
      drainAgain = true;
      return;
    }
    draining = true;
    drainAgain = false;
    PgConnection conn = leaderConnection;
    long linger = config.relay().linger().toMillis();
    if (linger <= 0) {
      numberBatch(conn);
      return;
    }
    // Wait a moment for more commits, so one statement, one commit and one bus message carry them all.
    vertx.setTimer(linger, t -> {
      if (conn != leaderConnection) {
        draining = false;
        return;
      }
      drainAgain = false;
      numberBatch(conn);
    });
  }

  private void numberBatch(PgConnection conn) {
    int batchSize = config.relay().batchSize();
    DirectQueue.Taken taken = direct.take(batchSize);
    conn.preparedQuery(NUMBER_BATCH)
        .execute(Tuple.of(batchSize, taken.ids(), taken.channels(), taken.types(), taken.data()))
        .map(EventLogReader::events)
        .onSuccess(events -> {
          taken.succeeded();
          publish(events);
          boolean outboxFull = events.size() - taken.size() >= batchSize;
          if (conn != leaderConnection) {
            draining = false;
          } else if (outboxFull || drainAgain || !direct.isEmpty()) {
            drainAgain = false;
            numberBatch(conn);
          } else {
            draining = false;
          }
        })
        .onFailure(err -> {
          // Not numbered (the statement rolled back) or not known: either way the publishers write their events
          // to the outbox, marked as maybe numbered, and the statement drops those already in the log.
          taken.failed(err.getMessage());
          draining = false;
          LOG.warn("Relay batch failed: {}", err.getMessage());
        });
  }

  private void publish(List<Event> events) {
    long now = System.currentTimeMillis();
    for (Event e : events) {
      RELAY_LAG.record(Math.max(0, now - e.timestampMillis()), TimeUnit.MILLISECONDS);
    }
    if (!events.isEmpty()) {
      vertx.eventBus().publish(Addresses.SEQUENCED_EVENTS, EventBatchCodec.encode(events));
    }
  }
}
