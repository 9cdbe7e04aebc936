package io.switchboard.ingest.fleet;

import io.switchboard.core.auth.AuthException;
import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.RouteContributor;
import io.switchboard.core.position.Fix;
import io.switchboard.core.position.LatestPositions;
import io.switchboard.ingest.fix.FixLimits;
import io.switchboard.ingest.fix.FixTime;
import io.switchboard.ingest.http.Callers;
import io.switchboard.ingest.http.Responses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Where the fleet is: latest positions of the tenant's drivers and who is near a point (from Redis), and a
 * driver's track over a time range (from the history in PostgreSQL), as JSON or a GeoJSON LineString.
 */
public final class FleetApi implements RouteContributor {

  private static final int MAX_TRACK_POINTS = 50_000;
  private static final String STAFF_ONLY = "the fleet is for dispatchers, admins and services of a tenant";

  private final Pool pool;
  private final Callers callers;
  private final LatestPositions latest;

  public FleetApi(Pool pool, Callers callers, LatestPositions latest) {
    this.pool = pool;
    this.callers = callers;
    this.latest = latest;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/fleet/positions").handler(this::positions);
    router.get("/api/v1/fleet/nearby").handler(this::nearby);
    router.get("/api/v1/drivers/:driverId/track").handler(this::track);
  }

  private void positions(RoutingContext ctx) {
    callers.tenantStaff(ctx, STAFF_ONLY)
        .compose(p -> latest.all(p.tenant()).map(fixes -> {
          JsonArray drivers = new JsonArray();
          fixes.stream().sorted(Comparator.comparing(Fix::driverId)).forEach(f -> drivers.add(f.fleetJson()));
          return new JsonObject().put("tenantId", p.tenant()).put("count", drivers.size()).put("drivers", drivers);
        }))
        .onSuccess(body -> Responses.json(ctx, 200, body))
        .onFailure(err -> redisError(ctx, err));
  }

  private void nearby(RoutingContext ctx) {
    callers.tenantStaff(ctx, STAFF_ONLY)
        .compose(p -> {
          double lat = param(ctx, "lat", -90, 90, null);
          double lon = param(ctx, "lon", -180, 180, null);
          double radius = param(ctx, "radiusM", 1, 500_000, 1_000.0);
          int limit = (int) param(ctx, "limit", 1, 1_000, 50.0);
          return latest.nearby(p.tenant(), lat, lon, radius, limit).map(found -> {
            JsonArray drivers = new JsonArray();
            for (LatestPositions.Nearby n : found) {
              drivers.add(n.fix().fleetJson().put("distanceM", Math.round(n.distanceM() * 10) / 10.0));
            }
            return new JsonObject().put("lat", lat).put("lon", lon).put("radiusM", radius)
                .put("count", drivers.size()).put("drivers", drivers);
          });
        })
        .onSuccess(body -> Responses.json(ctx, 200, body))
        .onFailure(err -> redisError(ctx, err));
  }

  private void track(RoutingContext ctx) {
    String driverId = ctx.pathParam("driverId");
    callers.driver(ctx, driverId, "a track is for staff and the driver itself")
        .compose(driver -> {
          long now = System.currentTimeMillis();
          long to = time(ctx, "to", now);
          long from = time(ctx, "from", to - 3_600_000);
          if (from > to) {
            throw ApiError.badRequest("from must not be after to");
          }
          int limit = (int) param(ctx, "limit", 1, MAX_TRACK_POINTS, 10_000.0);
          boolean geojson = "geojson".equalsIgnoreCase(ctx.request().getParam("format"))
              || String.valueOf(ctx.request().getHeader("Accept")).contains("geo+json");
          return pool.preparedQuery("SELECT (extract(epoch FROM fixed_at) * 1000)::int8, lat, lon, heading,"
                  + " speed_kmh, accuracy_m FROM positions WHERE driver_id = $1 AND fixed_at >= to_timestamp($2 / 1000.0)"
                  + " AND fixed_at <= to_timestamp($3 / 1000.0) ORDER BY fixed_at LIMIT $4")
              .execute(Tuple.of(driverId, from, to, limit))
              .map(rows -> geojson ? lineString(driverId, rows) : points(driverId, from, to, rows));
        })
        .onSuccess(body -> {
          if (body.containsKey("type")) {
            ctx.response().putHeader("Content-Type", "application/geo+json").setStatusCode(200).end(body.encode());
          } else {
            Responses.json(ctx, 200, body);
          }
        })
        .onFailure(err -> Responses.error(ctx, err));
  }

  private static JsonObject points(String driverId, long from, long to, Iterable<Row> rows) {
    JsonArray points = new JsonArray();
    for (Row r : rows) {
      JsonObject p = new JsonObject().put("latitude", r.getDouble(1)).put("longitude", r.getDouble(2));
      putIfNotNull(p, "heading", r.getValue(3));
      putIfNotNull(p, "speed", r.getValue(4));
      putIfNotNull(p, "accuracy", r.getValue(5));
      points.add(p.put("timestamp", Instant.ofEpochMilli(r.getLong(0)).toString()));
    }
    return new JsonObject().put("driverId", driverId).put("from", Instant.ofEpochMilli(from).toString())
        .put("to", Instant.ofEpochMilli(to).toString()).put("count", points.size()).put("points", points);
  }

  /** RFC 7946: positions are [longitude, latitude]; the fix times ride along as a property. */
  private static JsonObject lineString(String driverId, Iterable<Row> rows) {
    JsonArray coordinates = new JsonArray();
    JsonArray times = new JsonArray();
    for (Row r : rows) {
      coordinates.add(new JsonArray(List.of(r.getDouble(2), r.getDouble(1))));
      times.add(Instant.ofEpochMilli(r.getLong(0)).toString());
    }
    return new JsonObject().put("type", "Feature")
        .put("geometry", new JsonObject().put("type", "LineString").put("coordinates", coordinates))
        .put("properties", new JsonObject().put("driverId", driverId).put("timestamps", times));
  }

  private static void putIfNotNull(JsonObject o, String key, Object v) {
    if (v != null) {
      o.put(key, ((Number) v).doubleValue());
    }
  }

  private static double param(RoutingContext ctx, String name, double min, double max, Double def) {
    String raw = ctx.request().getParam(name);
    if (raw == null || raw.isBlank()) {
      if (def == null) {
        throw ApiError.badRequest(name + " is required");
      }
      return def;
    }
    try {
      double v = Double.parseDouble(raw.trim());
      if (!(v >= min && v <= max)) {
        throw ApiError.badRequest(name + " must be between " + min + " and " + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name + " must be a number");
    }
  }

  private static long time(RoutingContext ctx, String name, long def) {
    String raw = ctx.request().getParam(name);
    if (raw == null || raw.isBlank()) {
      return def;
    }
    long t;
    try {
      t = FixTime.parse(raw);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(name + ": " + e.getMessage());
    }
    if (t > FixLimits.MAX_TIME_MILLIS) {
      throw ApiError.badRequest(name + " must be before the year 10000");
    }
    return t;
  }

  /** Redis down: the fleet's latest positions are unavailable for now, which is not the client's fault. */
  private static void redisError(RoutingContext ctx, Throwable err) {
    if (err instanceof ApiError || err instanceof AuthException) {
      Responses.error(ctx, err);
    } else {
      ctx.response().putHeader("Retry-After", "2");
      io.switchboard.core.http.JsonErrors.send(ctx.response(), 503, "unavailable",
          "live positions are unavailable right now (Redis); retry shortly");
    }
  }
}
