package io.switchboard.core.log;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.event.Addresses;
import io.switchboard.core.event.Event;
import io.switchboard.core.event.EventBatchCodec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

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

  static final String NUMBER_BATCH = """
      WITH state AS (
        SELECT last_seq FROM sb_log_state WHERE id = 1 FOR UPDATE
      ), picked AS (
        SELECT ctid AS row_ctid, id, event_id, channels, type, data, created_at FROM sb_outbox
        ORDER BY id LIMIT $1 FOR UPDATE
      ), numbered AS (
        SELECT p.*, (SELECT last_seq FROM state) + row_number() OVER (ORDER BY p.id) AS seq FROM picked p
      ), moved AS (
        DELETE FROM sb_outbox WHERE ctid = ANY(ARRAY(SELECT row_ctid FROM numbered))
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

  public OutboxRelay(SwitchboardConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    pool = PgClients.pool(vertx, config.postgres()); // the node's shared pool (shared by name)
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
    retention.start();
    vacuum.start();
  }

  private void stepDown() {
    leaderConnection = null;
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
      pollTimer = -1;
    }
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
    conn.preparedQuery(NUMBER_BATCH).execute(Tuple.of(batchSize))
        .map(EventLogReader::events)
        .onSuccess(events -> {
          publish(events);
          if (conn != leaderConnection) {
            draining = false;
          } else if (events.size() == batchSize || drainAgain) {
            drainAgain = false;
            numberBatch(conn);
          } else {
            draining = false;
          }
        })
        .onFailure(err -> {
          draining = false;
          LOG.warn("Relay batch failed: {}", err.getMessage());
        });
  }

  private void publish(List<Event> events) {
    if (!events.isEmpty()) {
      vertx.eventBus().publish(Addresses.SEQUENCED_EVENTS, EventBatchCodec.encode(events));
    }
  }
}
