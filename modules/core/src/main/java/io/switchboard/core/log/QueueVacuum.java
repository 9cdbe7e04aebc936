package io.switchboard.core.log;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Keeps the outbox small: every row is inserted once and deleted once, so the table is a queue whose heap and
 * primary-key index fill with dead rows until a vacuum. The relay's batch reads the oldest rows through that
 * index and walks every dead entry before the first live one: with autovacuum off (as on the development
 * machines) it was 600,000 entries and 0.65 ms of PostgreSQL CPU a batch after an hour of load; autovacuum's
 * default thresholds, relative to the table size, let it grow too. So the relay leader vacuums the table itself,
 * through the pool (VACUUM cannot run in a transaction, nor wait behind the relay's own statements).
 * Run by the relay leader only.
 */
final class QueueVacuum {

  private static final Logger LOG = LoggerFactory.getLogger(QueueVacuum.class);

  private final LeaderChore chore;

  QueueVacuum(Vertx vertx, Pool pool, Duration interval) {
    this.chore = new LeaderChore(vertx, interval, () -> pool.query("VACUUM sb_outbox").execute()
        .onFailure(err -> LOG.warn("Vacuuming the outbox failed: {}", err.getMessage())));
  }

  void start() {
    chore.start();
  }

  void pause() {
    chore.pause();
  }
}
