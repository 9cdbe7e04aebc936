package io.switchboard.api.runs;

import io.switchboard.api.http.Access;
import io.switchboard.api.http.ChangeRunner;
import io.switchboard.api.http.IfMatch;
import io.switchboard.api.http.JsonBody;
import io.switchboard.api.http.QueryParams;
import io.switchboard.api.http.Reply;
import io.switchboard.core.auth.Principal;
import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.BoundedBody;
import io.switchboard.core.http.RouteContributor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Delivery runs over HTTP: create with stops, assign a driver, start, complete stops, complete the run. */
public final class RunsApi implements RouteContributor {

  static final String PATH = "/api/v1/runs";

  /** {@code active} is every run not completed yet: what a dispatcher's run board shows. */
  private static final Set<String> STATUSES = Set.of("planned", "assigned", "in_progress", "completed", "active");

  private static final String LIST = "SELECT run_json(id)::text FROM runs WHERE tenant_id = $1"
      + " AND ($2::text IS NULL OR CASE WHEN $2 = 'active' THEN status <> 'completed' ELSE status = $2 END)"
      + " AND ($3::text IS NULL OR driver_id = $3)"
      + " ORDER BY created_at DESC, id LIMIT $4 OFFSET $5";

  private final ChangeRunner runner;
  private final RunBook book;
  private final int maxBodyBytes;

  public RunsApi(ChangeRunner runner, RunBook book, int maxBodyBytes) {
    this.runner = runner;
    this.book = book;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void mount(Router router) {
    BoundedBody body = BoundedBody.limitedTo(maxBodyBytes);
    router.post(PATH).handler(body).handler(this::create);
    router.get(PATH).handler(this::list);
    router.get(PATH + "/:id").handler(this::get);
    router.post(PATH + "/:id/assign").handler(body).handler(this::assign);
    router.post(PATH + "/:id/start").handler(body).handler(ctx -> runner.change(ctx, change ->
        book.start(change, ctx.pathParam("id"), IfMatch.of(ctx)).map(RunsApi::versioned)));
    router.post(PATH + "/:id/stops/:stopId/complete").handler(body).handler(ctx -> runner.change(ctx, change ->
        book.completeStop(change, ctx.pathParam("id"), ctx.pathParam("stopId")).map(RunsApi::versioned)));
    router.post(PATH + "/:id/complete").handler(body).handler(ctx -> runner.change(ctx, change ->
        book.complete(change, ctx.pathParam("id"), IfMatch.of(ctx)).map(RunsApi::versioned)));
  }

  private void create(RoutingContext ctx) {
    runner.change(ctx, change -> {
      JsonBody body = JsonBody.of(ctx);
      JsonArray stopsJson = body.array("stops", 1, 500);
      List<RunBook.NewStop> stops = new ArrayList<>();
      for (int i = 0; i < stopsJson.size(); i++) {
        JsonBody stop = JsonBody.element(stopsJson, i, "stops");
        stops.add(new RunBook.NewStop(stop.id("orderId"), stop.string("address", 500),
            stop.number("lat", -90, 90), stop.number("lon", -180, 180)));
      }
      String id = body.optionalId("id");
      return book.create(change, id != null ? id : UUID.randomUUID().toString(), Access.tenantOf(change.principal(), body),
              body.optionalString("name", 200), body.optionalId("driverId"), stops)
          .map(run -> new Reply(201, run, run.getInteger("version")));
    });
  }

  private void assign(RoutingContext ctx) {
    runner.change(ctx, change -> {
      JsonBody body = JsonBody.of(ctx);
      return book.assign(change, ctx.pathParam("id"), body.id("driverId"), IfMatch.of(ctx)).map(RunsApi::versioned);
    });
  }

  private void get(RoutingContext ctx) {
    runner.read(ctx, (pool, principal) -> pool.preparedQuery("SELECT run_json(id)::text FROM runs WHERE id = $1"
            + " AND tenant_id = $2 AND ($3::text IS NULL OR driver_id = $3)")
        .execute(Tuple.of(ctx.pathParam("id"), principal.tenant(),
            principal.isStaff() ? null : principal.is(Principal.DRIVER) ? principal.subject() : "!none"))
        .map(rows -> {
          String json = rows.size() == 0 ? null : rows.iterator().next().getString(0);
          if (json == null) {
            throw new ApiError(404, "not_found", "no such run");
          }
          return versioned(new JsonObject(json));
        }));
  }

  /** Staff list their tenant's runs; a driver lists only its own. */
  private void list(RoutingContext ctx) {
    runner.read(ctx, (pool, principal) -> {
      String status = ctx.request().getParam("status");
      if (status != null && !STATUSES.contains(status)) {
        throw ApiError.badRequest("status must be one of planned, assigned, in_progress, completed, active");
      }
      int limit = QueryParams.intParam(ctx, "limit", 100, 1, 500);
      int offset = QueryParams.intParam(ctx, "offset", 0, 0, 1_000_000);
      String driver = ctx.request().getParam("driverId");
      if (!principal.isStaff()) {
        if (!principal.is(Principal.DRIVER)) {
          throw new ApiError(403, "forbidden", "runs are listed by staff and by their driver");
        }
        driver = principal.subject();
      }
      return pool.preparedQuery(LIST).execute(Tuple.of(principal.tenant(), status, driver, limit, offset))
          .map(rows -> {
            JsonArray runs = new JsonArray();
            rows.forEach(r -> runs.add(new JsonObject(r.getString(0))));
            return Reply.ok(new JsonObject().put("runs", runs).put("limit", limit).put("offset", offset));
          });
    });
  }

  static Reply versioned(JsonObject run) {
    return new Reply(200, run, run.getInteger("version"));
  }
}
