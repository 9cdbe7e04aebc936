package io.switchboard.api.http;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Forgets idempotency keys older than the event log's retention: a client retrying later than that gets a new
 * effect, as it would find no event of the first one either. Every API node runs it; the deletes are idempotent.
 */
public final class IdempotencyKeyExpiry {

  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyKeyExpiry.class);

  private IdempotencyKeyExpiry() {}

  public static long start(Vertx vertx, Pool pool, Duration keep, Duration every) {
    return vertx.setPeriodic(every.toMillis(), t -> pool
        .preparedQuery("DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1)")
        .execute(Tuple.of((double) keep.toSeconds()))
        .onSuccess(rows -> {
          if (rows.rowCount() > 0) {
            LOG.info("Forgot {} idempotency keys older than {}", rows.rowCount(), keep);
          }
        })
        .onFailure(err -> LOG.debug("Idempotency key expiry failed; next round retries", err)));
  }
}
