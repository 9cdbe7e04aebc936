package io.switchboard.ingest.arrival;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs in progress and their pending stops, by driver: reloaded every few seconds (one query for the whole
 * cluster's active runs), so checking a fix against its driver's next stop costs no query.
 */
final class ActiveRuns {

  record Stop(String id, String orderId, int position, double lat, double lon, boolean arrived) {}

  /** {@code startedAtMillis}: a fix older than this is from before the run, and arrives nowhere on it. */
  record Run(String id, String tenant, String driverId, long startedAtMillis, List<Stop> pending) {

    /** The first pending stop the driver has not reached yet. */
    Stop next() {
      for (Stop s : pending) {
        if (!s.arrived()) {
          return s;
        }
      }
      return null;
    }
  }

  private static final String LOAD = "SELECT r.id, r.tenant_id, r.driver_id, s.id, s.order_id, s.position, s.lat,"
      + " s.lon, s.arrived_at IS NOT NULL, (extract(epoch FROM COALESCE(r.started_at, now())) * 1000)::int8"
      + " FROM runs r JOIN run_stops s ON s.run_id = r.id"
      + " WHERE r.status = 'in_progress' AND r.driver_id IS NOT NULL AND s.status = 'pending'"
      + " ORDER BY r.id, s.position";

  private final Pool pool;
  private volatile Map<String, Run> byDriver = Map.of();

  ActiveRuns(Pool pool) {
    this.pool = pool;
  }

  Run of(String driverId) {
    return byDriver.get(driverId);
  }

  Future<Integer> reload() {
    return pool.query(LOAD).execute().map(rows -> {
      Map<String, Run> runs = new HashMap<>();
      for (Row r : rows) {
        String driver = r.getString(2);
        Run run = runs.computeIfAbsent(driver, d -> new Run(r.getString(0), r.getString(1), d, r.getLong(9),
            new ArrayList<>()));
        if (run.id().equals(r.getString(0))) {
          run.pending().add(new Stop(r.getString(3), r.getString(4), r.getInteger(5), r.getDouble(6),
              r.getDouble(7), r.getBoolean(8)));
        }
      }
      byDriver = runs;
      return runs.size();
    });
  }
}
