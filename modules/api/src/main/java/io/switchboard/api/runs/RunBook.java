package io.switchboard.api.runs;

import io.switchboard.api.http.Access;
import io.switchboard.api.http.Change;
import io.switchboard.api.http.IfMatch;
import io.switchboard.api.orders.OrderBook;
import io.switchboard.api.orders.OrderStatus;
import io.switchboard.core.auth.Principal;
import io.switchboard.core.dialect.Canonical;
import io.switchboard.core.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Where run events are born. A run moves planned → assigned → in_progress → completed. Starting it sends its
 * ready orders out ({@code in_progress}); completing a stop delivers that stop's order; the run completes once
 * every stop is done. Each step emits a run event with the run's progress, and the order moves emit their own.
 */
public final class RunBook {

  private static final String LOCK = "SELECT status, version, driver_id FROM runs WHERE id = $1 AND tenant_id = $2"
      + " FOR UPDATE";
  private static final String TOUCH =
      "UPDATE runs SET version = version + 1, updated_by = $2, updated_at = now() WHERE id = $1";

  private final OrderBook orders;

  public RunBook(OrderBook orders) {
    this.orders = orders;
  }

  record NewStop(String orderId, String address, double lat, double lon) {}

  private record Locked(String id, String status, int version, String driver) {}

  Future<JsonObject> create(Change change, String id, String tenantId, String name, String driverId,
                            List<NewStop> stops) {
    Access.staff(change.principal());
    Access.tenant(change.principal(), tenantId);
    var conn = change.conn();
    List<Tuple> rows = new ArrayList<>();
    int position = 0;
    for (NewStop s : stops) {
      rows.add(Tuple.of(UUID.randomUUID().toString(), id, ++position, s.orderId(), s.address(), s.lat(), s.lon()));
    }
    return requireDriver(change, driverId)
        .compose(v -> conn.preparedQuery("INSERT INTO runs (id, tenant_id, name, status, driver_id, updated_by)"
            + " VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.of(id, tenantId, name, driverId == null ? "planned" : "assigned", driverId, change.actor())))
        .compose(v -> conn.preparedQuery("SELECT count(*) FROM orders WHERE id = ANY($1) AND tenant_id = $2"
            + " AND deleted_at IS NULL").execute(Tuple.of(stops.stream().map(NewStop::orderId).distinct()
            .toArray(String[]::new), tenantId)))
        .compose(count -> {
          long distinct = stops.stream().map(NewStop::orderId).distinct().count();
          if (count.iterator().next().getLong(0) != distinct) {
            throw new ApiError(422, "unknown_reference", "every stop must be an order of this tenant");
          }
          return conn.preparedQuery("INSERT INTO run_stops (id, run_id, position, order_id, address, lat, lon)"
              + " VALUES ($1, $2, $3, $4, $5, $6, $7)").executeBatch(rows);
        })
        .compose(v -> emit(change, id, Canonical.RUN_CREATED, null));
  }

  Future<JsonObject> assign(Change change, String runId, String driverId, Integer ifMatch) {
    Access.staff(change.principal());
    return lock(change, runId).compose(run -> {
      IfMatch.check(ifMatch, run.version());
      if (!run.status().equals("planned") && !run.status().equals("assigned")) {
        throw new ApiError(409, "illegal_transition", "a run that is " + run.status() + " cannot be reassigned");
      }
      return requireDriver(change, driverId)
          .compose(v -> change.conn().preparedQuery("UPDATE runs SET driver_id = $2, status = 'assigned' WHERE id = $1")
          .execute(Tuple.of(runId, driverId)))
          .compose(v -> touchAndEmit(change, runId, Canonical.RUN_DRIVER_ASSIGNED, null));
    });
  }

  Future<JsonObject> start(Change change, String runId, Integer ifMatch) {
    return lock(change, runId).compose(run -> {
      IfMatch.check(ifMatch, run.version());
      if (!run.status().equals("assigned")) {
        throw new ApiError(409, "illegal_transition", "only an assigned run can start (it is " + run.status() + ")");
      }
      return change.conn().preparedQuery("SELECT s.order_id FROM run_stops s JOIN orders o ON o.id = s.order_id"
              + " WHERE s.run_id = $1 AND o.status = 'ready' ORDER BY s.order_id").execute(Tuple.of(runId))
          .compose(ready -> {
            Future<?> chain = Future.succeededFuture();
            for (Row r : ready) {
              String orderId = r.getString(0);
              chain = chain.compose(x -> orders.moveTo(change, orderId, OrderStatus.IN_PROGRESS));
            }
            return chain;
          })
          .compose(v -> change.conn().preparedQuery("UPDATE runs SET status = 'in_progress', started_at = now()"
              + " WHERE id = $1").execute(Tuple.of(runId)))
          .compose(v -> touchAndEmit(change, runId, Canonical.RUN_STARTED, null));
    });
  }

  Future<JsonObject> completeStop(Change change, String runId, String stopId) {
    return lock(change, runId).compose(run -> {
      if (!run.status().equals("in_progress")) {
        throw new ApiError(409, "illegal_transition", "stops are completed on a run in progress (it is "
            + run.status() + ")");
      }
      return change.conn().preparedQuery("UPDATE run_stops SET status = 'completed', completed_at = now()"
              + " WHERE id = $1 AND run_id = $2 AND status = 'pending' RETURNING order_id")
          .execute(Tuple.of(stopId, runId))
          .compose(rows -> {
            if (rows.size() == 0) {
              return change.conn().preparedQuery("SELECT status FROM run_stops WHERE id = $1 AND run_id = $2")
                  .execute(Tuple.of(stopId, runId))
                  .compose(found -> Future.failedFuture(found.size() == 0
                      ? new ApiError(404, "not_found", "no such stop on this run")
                      : new ApiError(409, "already_completed", "the stop is completed already")));
            }
            String orderId = rows.iterator().next().getString(0);
            return orders.lockedStatus(change, orderId).compose(status -> status == OrderStatus.IN_PROGRESS
                ? orders.moveTo(change, orderId, OrderStatus.DELIVERED).mapEmpty()
                : Future.succeededFuture());
          })
          .compose(v -> touchAndEmit(change, runId, Canonical.RUN_STOP_COMPLETED, stopId));
    });
  }

  Future<JsonObject> complete(Change change, String runId, Integer ifMatch) {
    return lock(change, runId).compose(run -> {
      IfMatch.check(ifMatch, run.version());
      if (!run.status().equals("in_progress")) {
        throw new ApiError(409, "illegal_transition", "only a run in progress can complete (it is "
            + run.status() + ")");
      }
      return change.conn().preparedQuery("SELECT count(*) FROM run_stops WHERE run_id = $1 AND status = 'pending'")
          .execute(Tuple.of(runId))
          .compose(pending -> {
            long left = pending.iterator().next().getLong(0);
            if (left > 0) {
              throw new ApiError(409, "stops_pending", left + " stop(s) are not completed yet");
            }
            return change.conn().preparedQuery("UPDATE runs SET status = 'completed', completed_at = now()"
                + " WHERE id = $1").execute(Tuple.of(runId));
          })
          .compose(v -> touchAndEmit(change, runId, Canonical.RUN_COMPLETED, null));
    });
  }

  /**
   * Locks a run of the token's tenant. Staff may change any of them; a driver only moves its own run along (start,
   * stops, completion); anyone else, or another tenant's run, finds nothing.
   */
  private Future<Locked> lock(Change change, String runId) {
    Principal p = change.principal();
    return change.conn().preparedQuery(LOCK).execute(Tuple.of(runId, p.tenant())).map(rows -> {
      if (rows.size() == 0) {
        throw new ApiError(404, "not_found", "no such run");
      }
      Row r = rows.iterator().next();
      Locked locked = new Locked(runId, r.getString(0), r.getInteger(1), r.getString(2));
      if (!p.isStaff() && !(p.is(Principal.DRIVER) && p.subject().equals(locked.driver()))) {
        throw new ApiError(404, "not_found", "no such run");
      }
      return locked;
    });
  }

  /**
   * The driver must be one of the caller's tenant. A driver of another tenant gets the answer of one that does not
   * exist: the run would otherwise receive that driver's arrivals and ETAs, and the difference would list the other
   * tenant's drivers.
   */
  private static Future<Void> requireDriver(Change change, String driverId) {
    if (driverId == null) {
      return Future.succeededFuture();
    }
    return change.conn().preparedQuery("SELECT 1 FROM drivers WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(driverId, change.principal().tenant()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new ApiError(422, "unknown_reference", "no driver " + driverId + " in this tenant");
          }
          return null;
        });
  }

  private Future<JsonObject> touchAndEmit(Change change, String runId, String type, String stopId) {
    return change.conn().preparedQuery(TOUCH).execute(Tuple.of(runId, change.actor()))
        .compose(v -> emit(change, runId, type, stopId));
  }

  private static Future<JsonObject> emit(Change change, String runId, String type, String stopId) {
    return change.conn().preparedQuery("SELECT run_json($1)::text").execute(Tuple.of(runId)).map(rows -> {
      JsonObject run = new JsonObject(rows.iterator().next().getString(0));
      JsonObject data = new JsonObject().put("run", run);
      if (stopId != null) {
        data.put("stopId", stopId);
      }
      List<String> channels = new ArrayList<>(List.of("run:" + runId, "tenant:" + run.getString("tenantId") + ":runs"));
      if (run.getString("driverId") != null) {
        channels.add("driver:" + run.getString("driverId") + ":runs");
      }
      change.emit(type, channels, data);
      return run;
    });
  }
}
