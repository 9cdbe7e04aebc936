package io.switchboard.api.stock;

import io.switchboard.api.http.Access;
import io.switchboard.api.http.ChangeRunner;
import io.switchboard.api.http.JsonBody;
import io.switchboard.api.http.Reply;
import io.switchboard.core.http.BoundedBody;
import io.switchboard.core.http.RouteContributor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Stock moves over HTTP: adjust, reserve, commit, release. */
public final class StockApi implements RouteContributor {

  private final ChangeRunner runner;
  private final StockLedger ledger;
  private final int maxBodyBytes;

  public StockApi(ChangeRunner runner, StockLedger ledger, int maxBodyBytes) {
    this.runner = runner;
    this.ledger = ledger;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void mount(Router router) {
    router.post("/api/v1/variants/:id/stock/adjustments").handler(BoundedBody.limitedTo(maxBodyBytes))
        .handler(this::adjust);
    router.post("/api/v1/variants/:id/stock/reservations").handler(BoundedBody.limitedTo(maxBodyBytes))
        .handler(this::reserve);
    router.post("/api/v1/stock/reservations/:id/commit").handler(BoundedBody.limitedTo(maxBodyBytes))
        .handler(ctx -> settle(ctx, true));
    router.post("/api/v1/stock/reservations/:id/release").handler(BoundedBody.limitedTo(maxBodyBytes))
        .handler(ctx -> settle(ctx, false));
  }

  private void adjust(RoutingContext ctx) {
    runner.change(ctx, change -> {
      Access.staff(change.principal());
      JsonBody body = JsonBody.of(ctx);
      int delta = body.integer("change", -100_000_000, 100_000_000);
      if (delta == 0) {
        throw JsonBody.invalid("change must not be 0");
      }
      return ledger.adjust(change, JsonBody.checkId("id", ctx.pathParam("id")), delta,
              body.optionalString("reason", 200))
          .map(Reply::ok);
    });
  }

  private void reserve(RoutingContext ctx) {
    runner.change(ctx, change -> {
      Access.staff(change.principal());
      JsonBody body = JsonBody.of(ctx);
      int quantity = body.integer("quantity", 1, 1_000_000);
      return ledger.reserve(change, JsonBody.checkId("id", ctx.pathParam("id")), quantity, body.optionalId("orderId"))
          .map(r -> Reply.created(new JsonObject().put("reservationId", r.reservationId())
              .put("quantity", quantity).put("variant", r.variant())));
    });
  }

  private void settle(RoutingContext ctx, boolean commit) {
    runner.change(ctx, change -> {
      Access.staff(change.principal());
      String id = JsonBody.checkId("id", ctx.pathParam("id"));
      return (commit ? ledger.commit(change, id) : ledger.release(change, id)).map(Reply::ok);
    });
  }
}
