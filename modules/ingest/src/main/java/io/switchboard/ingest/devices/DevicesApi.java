package io.switchboard.ingest.devices;

import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.BoundedBody;
import io.switchboard.core.http.RouteContributor;
import io.switchboard.core.limits.RateLimit;
import io.switchboard.ingest.http.Callers;
import io.switchboard.ingest.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Registers trackers to drivers: {@code POST /api/v1/devices {"deviceId", "driverId"}}, list, delete. The device
 * key is what the tracker sends as OsmAnd {@code id}; staff of the driver's tenant manage them.
 */
public final class DevicesApi implements RouteContributor {

  private static final String KEY = "[A-Za-z0-9_\\-.:@]{1,100}";

  private final Pool pool;
  private final Callers callers;
  private final DriverDirectory directory;
  private final int maxBodyBytes;
  private final RateLimit takenKeys;

  /**
   * {@code takenKeys}: "already registered" answers per tenant. Device keys are global (a tracker sends nothing
   * else) and they are the OsmAnd port's credential: a tenant must not find another's keys by registering guesses.
   */
  public DevicesApi(Pool pool, Callers callers, DriverDirectory directory, int maxBodyBytes, RateLimit takenKeys) {
    this.pool = pool;
    this.callers = callers;
    this.directory = directory;
    this.maxBodyBytes = maxBodyBytes;
    this.takenKeys = takenKeys;
  }

  @Override
  public void mount(Router router) {
    router.post("/api/v1/devices").handler(BoundedBody.limitedTo(maxBodyBytes)).handler(this::register);
    router.get("/api/v1/devices").handler(this::list);
    router.delete("/api/v1/devices/:deviceId").handler(this::remove);
  }

  private void register(RoutingContext ctx) {
    callers.tenantStaff(ctx, "devices are managed by staff of a tenant").compose(p -> {
      JsonObject body;
      try {
        body = new JsonObject(BoundedBody.of(ctx));
      } catch (DecodeException | ClassCastException e) {
        throw new ApiError(400, "invalid_json", "the body must be a JSON object");
      }
      String deviceId = id(body.getValue("deviceId"), "deviceId");
      String driverId = id(body.getValue("driverId"), "driverId");
      long wait = takenKeys.exhausted(p.tenant());
      if (wait > 0) {
        ctx.response().putHeader("Retry-After", String.valueOf(wait));
        throw new ApiError(429, "too_many_taken_keys", "too many device keys that were taken already; retry after "
            + wait + " s");
      }
      return pool.preparedQuery("INSERT INTO devices (device_key, tenant_id, driver_id)"
              + " SELECT $1, tenant_id, id FROM drivers WHERE id = $2 AND tenant_id = $3"
              + " ON CONFLICT (device_key) DO NOTHING RETURNING device_key")
          .execute(Tuple.of(deviceId, driverId, p.tenant()))
          .compose(rows -> {
            if (rows.size() == 1) {
              directory.deviceChanged(deviceId);
              return Future.succeededFuture(201);
            }
            return pool.preparedQuery("SELECT d.driver_id, d.tenant_id, (SELECT count(*) FROM drivers"
                    + " WHERE id = $2 AND tenant_id = $3) FROM devices d WHERE d.device_key = $1")
                .execute(Tuple.of(deviceId, driverId, p.tenant()))
                .map(found -> {
                  if (found.size() == 0) {
                    throw new ApiError(422, "unknown_reference", "no driver " + driverId + " in your tenant");
                  }
                  Row r = found.iterator().next();
                  if (r.getLong(2) == 0) {
                    throw new ApiError(422, "unknown_reference", "no driver " + driverId + " in your tenant");
                  }
                  if (!driverId.equals(r.getString(0)) || !p.tenant().equals(r.getString(1))) {
                    takenKeys.take(p.tenant());
                    throw new ApiError(409, "conflict", "device " + deviceId + " is registered to another driver");
                  }
                  return 200; // the same registration again
                });
          })
          .map(status -> {
            Responses.json(ctx, status, new JsonObject().put("deviceId", deviceId).put("driverId", driverId)
                .put("tenantId", p.tenant()));
            return null;
          });
    }).onFailure(err -> Responses.error(ctx, err));
  }

  private void list(RoutingContext ctx) {
    callers.tenantStaff(ctx, "devices are managed by staff of a tenant").compose(p -> {
      String driver = ctx.request().getParam("driverId");
      if (driver != null && !Callers.DRIVER_ID.matcher(driver).matches()) {
        throw ApiError.badRequest("driverId must be 1-100 characters of letters, digits and _-.@");
      }
      return pool.preparedQuery("SELECT device_key, driver_id, created_at::text FROM devices WHERE tenant_id = $1"
              + " AND ($2::text IS NULL OR driver_id = $2) ORDER BY device_key LIMIT 10000")
          .execute(Tuple.of(p.tenant(), driver))
          .map(rows -> {
            JsonArray out = new JsonArray();
            for (Row r : rows) {
              out.add(new JsonObject().put("deviceId", r.getString(0)).put("driverId", r.getString(1))
                  .put("createdAt", r.getString(2)));
            }
            Responses.json(ctx, 200, new JsonObject().put("devices", out));
            return null;
          });
    }).onFailure(err -> Responses.error(ctx, err));
  }

  private void remove(RoutingContext ctx) {
    callers.tenantStaff(ctx, "devices are managed by staff of a tenant").compose(p -> {
      String deviceId = id(ctx.pathParam("deviceId"), "deviceId");
      return pool.preparedQuery("DELETE FROM devices WHERE device_key = $1 AND tenant_id = $2")
          .execute(Tuple.of(deviceId, p.tenant()))
          .map(rows -> {
            if (rows.rowCount() == 0) {
              throw new ApiError(404, "not_found", "no such device");
            }
            directory.deviceChanged(deviceId);
            ctx.response().setStatusCode(204).end();
            return null;
          });
    }).onFailure(err -> Responses.error(ctx, err));
  }

  private static String id(Object value, String name) {
    if (!(value instanceof String s) || !s.matches(KEY)) {
      throw new ApiError(400, "invalid_field", name + " must be 1-100 characters of letters, digits and _-.:@");
    }
    return s;
  }
}
