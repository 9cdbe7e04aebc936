package io.switchboard.ingest.json;

import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.BoundedBody;
import io.switchboard.core.http.RouteContributor;
import io.switchboard.ingest.devices.DriverDirectory.DriverRef;
import io.switchboard.ingest.fix.LocationJson;
import io.switchboard.ingest.fix.RawFix;
import io.switchboard.ingest.http.Callers;
import io.switchboard.ingest.http.Responses;
import io.switchboard.ingest.pipeline.Ingestor;
import io.switchboard.ingest.pipeline.Outcome;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * The driver app's JSON API: one position ({@code POST /api/v1/drivers/{id}/location}, the delivery seed's
 * endpoint) or a batch buffered while offline ({@code .../locations}). A driver posts only its own positions;
 * staff and services of the tenant may post for any of its drivers.
 */
public final class LocationApi implements RouteContributor {

  private final Callers callers;
  private final Ingestor ingestor;
  private final int maxBatchPoints;
  private final int maxBodyBytes;

  public LocationApi(Callers callers, Ingestor ingestor, int maxBatchPoints, int maxBodyBytes) {
    this.callers = callers;
    this.ingestor = ingestor;
    this.maxBatchPoints = maxBatchPoints;
    this.maxBodyBytes = Math.max(maxBodyBytes, maxBatchPoints * 512);
  }

  @Override
  public void mount(Router router) {
    router.post("/api/v1/drivers/:driverId/location").handler(BoundedBody.limitedTo(maxBodyBytes))
        .handler(this::postOne);
    router.post("/api/v1/drivers/:driverId/locations").handler(BoundedBody.limitedTo(maxBodyBytes))
        .handler(this::postBatch);
  }

  private void postOne(RoutingContext ctx) {
    poster(ctx)
        .map(driver -> {
          RawFix raw = LocationJson.read(parse(BoundedBody.of(ctx)));
          if (raw.error() != null) {
            throw ApiError.badRequest(raw.error());
          }
          return ingestor.ingest(driver.driverId(), driver.tenant(), List.of(raw)).get(0);
        })
        .onSuccess(outcome -> {
          if (outcome.accepted()) {
            Responses.json(ctx, 202, outcome.toJson(0).put("driverId", ctx.pathParam("driverId")));
          } else {
            Responses.json(ctx, 422, new JsonObject().put("error", outcome.reason())
                .put("message", "position rejected: " + outcome.reason()));
          }
        })
        .onFailure(err -> Responses.error(ctx, err));
  }

  private void postBatch(RoutingContext ctx) {
    poster(ctx)
        .map(driver -> {
          Object body = parse(BoundedBody.of(ctx));
          JsonArray points = body instanceof JsonArray a ? a
              : body instanceof JsonObject o && o.getValue("locations") instanceof JsonArray a ? a : null;
          if (points == null) {
            throw ApiError.badRequest("the body must be {\"locations\": [...]} or an array of positions");
          }
          if (points.isEmpty() || points.size() > maxBatchPoints) {
            throw ApiError.badRequest("a batch holds 1 to " + maxBatchPoints + " positions");
          }
          List<RawFix> raws = new ArrayList<>(points.size());
          for (Object p : points) {
            raws.add(LocationJson.read(p));
          }
          return ingestor.ingest(driver.driverId(), driver.tenant(), raws);
        })
        .onSuccess(outcomes -> {
          JsonArray results = new JsonArray();
          int accepted = 0;
          for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            accepted += o.accepted() ? 1 : 0;
            results.add(o.toJson(i));
          }
          Responses.json(ctx, 200, new JsonObject().put("driverId", ctx.pathParam("driverId"))
              .put("accepted", accepted).put("rejected", outcomes.size() - accepted).put("results", results));
        })
        .onFailure(err -> Responses.error(ctx, err));
  }

  /** The driver the caller may post for, or a 400/401/403/404. */
  private Future<DriverRef> poster(RoutingContext ctx) {
    String driverId = ctx.pathParam("driverId");
    if (driverId == null || !driverId.matches("[A-Za-z0-9_\\-.@]{1,100}")) {
      return Future.failedFuture(ApiError.badRequest("driverId must be 1-100 characters of letters, digits and _-.@"));
    }
    return callers.driver(ctx, driverId, "a driver posts only its own positions");
  }

  private static Object parse(Buffer body) {
    String text = body.toString().trim();
    if (text.isEmpty()) {
      throw ApiError.badRequest("a JSON body is required");
    }
    try {
      return text.startsWith("[") ? new JsonArray(text) : new JsonObject(text);
    } catch (DecodeException e) {
      throw new ApiError(400, "invalid_json", "the request body is not valid JSON");
    }
  }
}
