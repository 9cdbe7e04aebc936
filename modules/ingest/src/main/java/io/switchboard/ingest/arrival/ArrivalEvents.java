package io.switchboard.ingest.arrival;

import io.switchboard.core.dialect.Canonical;
import io.switchboard.core.event.IsoTimestamp;
import io.switchboard.core.event.NewEvent;
import io.switchboard.core.log.OutboxWriter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * Where arrival and ETA events are born: each is a conditional update of the run's stops and its events in one
 * transaction, so however many nodes see the same fix, a stop is arrived at once and a run's ETAs are published
 * at most once per interval.
 */
final class ArrivalEvents {

  private final Pool pool;
  private final OutboxWriter outbox;

  ArrivalEvents(Pool pool, OutboxWriter outbox) {
    this.pool = pool;
    this.outbox = outbox;
  }

  /** Marks the stop arrived; true when this call did it (false: already arrived, or no longer pending). */
  Future<Boolean> arrived(String runId, String stopId, long atMillis) {
    String at = IsoTimestamp.of(atMillis);
    return pool.withTransaction(conn -> conn
            // Only on a run in progress, and only with a fix from after it started.
            .preparedQuery("UPDATE run_stops SET arrived_at = to_timestamp($3 / 1000.0), eta = NULL"
                + " WHERE id = $1 AND run_id = $2 AND arrived_at IS NULL AND status = 'pending'"
                + " AND EXISTS (SELECT 1 FROM runs r WHERE r.id = $2 AND r.status = 'in_progress'"
                + " AND r.started_at <= to_timestamp($3 / 1000.0)) RETURNING order_id")
            .execute(Tuple.of(stopId, runId, atMillis))
            .compose(rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(false);
              }
              String orderId = rows.iterator().next().getString(0);
              return conn.preparedQuery("UPDATE runs SET updated_at = now() WHERE id = $1").execute(Tuple.of(runId))
                  .compose(v -> runEvent(conn, runId, Canonical.RUN_STOP_ARRIVED, new JsonObject().put("stopId", stopId)
                      .put("arrivedAt", at)))
                  .compose(v -> orderEvent(conn, orderId, Canonical.ORDER_ARRIVED,
                      new JsonObject().put("actualArrival", at).put("runId", runId).put("stopId", stopId)))
                  .map(true);
            }))
        .onSuccess(done -> {
          if (done) {
            outbox.committed();
          }
        });
  }

  /** Publishes new ETAs for the run's stops unless another node did within {@code intervalSeconds}. */
  Future<Boolean> etas(String runId, List<String> stopIds, List<String> orderIds, List<Long> etaMillis,
                       long intervalSeconds) {
    return pool.withTransaction(conn -> conn
            .preparedQuery("UPDATE runs SET eta_updated_at = now() WHERE id = $1 AND status = 'in_progress'"
                + " AND (eta_updated_at IS NULL OR eta_updated_at < now() - ($2 || ' seconds')::interval)"
                + " RETURNING id")
            .execute(Tuple.of(runId, String.valueOf(intervalSeconds)))
            .compose(rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(false);
              }
              return conn.preparedQuery("UPDATE run_stops s SET eta = to_timestamp(u.ms / 1000.0)"
                      + " FROM unnest($1::text[], $2::int8[]) AS u(id, ms) WHERE s.id = u.id AND s.run_id = $3")
                  .execute(Tuple.of(stopIds.toArray(String[]::new), etaMillis.toArray(Long[]::new), runId))
                  .compose(v -> runEvent(conn, runId, Canonical.RUN_ETA_UPDATED, new JsonObject()))
                  .compose(v -> {
                    Future<?> chain = Future.succeededFuture();
                    for (int i = 0; i < orderIds.size(); i++) {
                      JsonObject extra = new JsonObject()
                          .put("estimatedArrival", IsoTimestamp.of(etaMillis.get(i)))
                          .put("runId", runId).put("stopId", stopIds.get(i));
                      String orderId = orderIds.get(i);
                      chain = chain.compose(x -> orderEvent(conn, orderId, Canonical.ORDER_ETA_UPDATED, extra));
                    }
                    return chain;
                  })
                  .map(true);
            }))
        .onSuccess(done -> {
          if (done) {
            outbox.committed();
          }
        });
  }

  private Future<Void> runEvent(SqlConnection conn, String runId, String type, JsonObject extra) {
    return conn.preparedQuery("SELECT run_json($1)::text").execute(Tuple.of(runId)).compose(rows -> {
      JsonObject run = new JsonObject(rows.iterator().next().getString(0));
      JsonObject data = new JsonObject().put("run", run).mergeIn(extra);
      List<String> channels = new ArrayList<>(List.of("run:" + runId, "tenant:" + run.getString("tenantId") + ":runs"));
      if (run.getString("driverId") != null) {
        channels.add("driver:" + run.getString("driverId") + ":runs");
      }
      return outbox.append(conn, new NewEvent(channels, type, data.encode())).mapEmpty();
    });
  }

  private Future<Void> orderEvent(SqlConnection conn, String orderId, String type, JsonObject extra) {
    return conn.preparedQuery("SELECT order_json($1)::text").execute(Tuple.of(orderId)).compose(rows -> {
      JsonObject order = new JsonObject(rows.iterator().next().getString(0));
      JsonObject data = new JsonObject().put("order", order).mergeIn(extra);
      List<String> channels = List.of("order:" + orderId, "tenant:" + order.getString("tenantId") + ":orders",
          "user:" + order.getString("customerId"));
      return outbox.append(conn, new NewEvent(channels, type, data.encode())).mapEmpty();
    });
  }
}
