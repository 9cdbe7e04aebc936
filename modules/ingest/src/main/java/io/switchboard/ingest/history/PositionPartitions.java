package io.switchboard.ingest.history;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Keeps the daily partitions of the position history ahead of time and drops those past retention
 * ({@code sb_position_partitions} in V4__positions.sql, which serialises callers, so every node may run this).
 */
public final class PositionPartitions {

  private static final Logger LOG = LoggerFactory.getLogger(PositionPartitions.class);
  private static final int DAYS_AHEAD = 2;

  private final Pool pool;
  private final Duration retention;

  public PositionPartitions(Pool pool, Duration retention) {
    this.pool = pool;
    this.retention = retention;
  }

  public void start(Vertx vertx, Duration every) {
    maintain();
    vertx.setPeriodic(every.toMillis(), t -> maintain());
  }

  public Future<Integer> maintain() {
    return pool.preparedQuery("SELECT sb_position_partitions($1, ($2 || ' seconds')::interval)")
        .execute(Tuple.of(DAYS_AHEAD, String.valueOf(retention.toSeconds())))
        .map(rows -> rows.iterator().next().getInteger(0))
        .onSuccess(dropped -> {
          if (dropped > 0) {
            LOG.info("Dropped {} position partition(s) past retention", dropped);
          }
        })
        .onFailure(err -> LOG.debug("Position partition upkeep failed: {}", err.getMessage()));
  }
}
