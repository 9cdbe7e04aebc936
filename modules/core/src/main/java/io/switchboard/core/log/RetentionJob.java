package io.switchboard.core.log;

import io.switchboard.core.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes events older than the retention period, in chunks, and records how far it went in
 * {@code sb_log_state.purged_through} so a gateway can tell a client that its resume point is gone.
 * Run by the relay leader only.
 */
final class RetentionJob {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
  private static final int CHUNK = 10_000;

  private static final String PURGE_CHUNK = """
      WITH cutoff AS (
        SELECT max(seq) AS seq FROM sb_events WHERE sequenced_at < clock_timestamp() - make_interval(secs => $1)
      ), bound AS (
        -- LEAST ignores NULL: without the CASE an empty cutoff would purge a whole chunk of fresh events.
        SELECT CASE WHEN c.seq IS NULL THEN NULL
                    ELSE LEAST(c.seq, (SELECT purged_through FROM sb_log_state WHERE id = 1) + $2) END AS seq
        FROM cutoff c
      ), doomed AS (
        DELETE FROM sb_events WHERE seq <= (SELECT seq FROM bound) RETURNING seq
      )
      UPDATE sb_log_state SET purged_through = GREATEST(purged_through, (SELECT seq FROM bound))
      WHERE id = 1 AND (SELECT seq FROM bound) IS NOT NULL
      RETURNING (SELECT count(*) FROM doomed)
      """;

  private final Pool pool;
  private final SwitchboardConfig.Relay relayConfig;
  private final LeaderChore chore;

  RetentionJob(Vertx vertx, Pool pool, SwitchboardConfig.Relay relayConfig) {
    this.pool = pool;
    this.relayConfig = relayConfig;
    this.chore = new LeaderChore(vertx, relayConfig.retentionInterval(), this::purge);
  }

  void start() {
    chore.start();
  }

  void pause() {
    chore.pause();
  }

  private Future<Long> purge() {
    return purgeChunks(0)
        .onSuccess(removed -> {
          if (removed > 0) {
            LOG.info("Retention removed {} events older than {}", removed, relayConfig.retention());
          }
        })
        .onFailure(err -> LOG.warn("Retention failed: {}", err.getMessage()));
  }

  /** A chunk at a time, so no statement holds many rows; stops between chunks once the leader stepped down. */
  private Future<Long> purgeChunks(long total) {
    double seconds = relayConfig.retention().toMillis() / 1000.0;
    return pool.preparedQuery(PURGE_CHUNK).execute(Tuple.of(seconds, CHUNK)).compose(rows -> {
      long deleted = rows.size() == 0 ? 0 : rows.iterator().next().getLong(0);
      return deleted >= CHUNK && chore.active()
          ? purgeChunks(total + deleted)
          : Future.succeededFuture(total + deleted);
    });
  }
}
