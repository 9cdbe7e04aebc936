package io.switchboard.api.orders;

import io.switchboard.api.http.Access;
import io.switchboard.api.http.Change;
import io.switchboard.api.http.ChangeRunner;
import io.switchboard.api.http.IfMatch;
import io.switchboard.api.http.JsonBody;
import io.switchboard.api.http.QueryParams;
import io.switchboard.api.http.Reply;
import io.switchboard.core.auth.AuthException;
import io.switchboard.core.auth.Principal;
import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.BoundedBody;
import io.switchboard.core.http.RouteContributor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Tuple;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/** Orders over HTTP: create, read, list, edit (status machine, If-Match), pay, ship, track, deliver, delete. */
public final class OrdersApi implements RouteContributor {

  static final String PATH = "/api/v1/orders";
  private static final String LIST = "SELECT order_json(id)::text FROM orders WHERE deleted_at IS NULL"
      + " AND ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR tenant_id = $2)"
      + " AND ($3::text IS NULL OR shop_id = $3) AND ($4::text IS NULL OR customer_id = $4)"
      + " ORDER BY created_at DESC, id LIMIT $5 OFFSET $6";

  private final ChangeRunner runner;
  private final OrderBook book;
  private final OrderEditEndpoint edits;
  private final int maxBodyBytes;

  public OrdersApi(ChangeRunner runner, OrderBook book, int maxBodyBytes) {
    this.runner = runner;
    this.book = book;
    this.edits = new OrderEditEndpoint(runner, book);
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void mount(Router router) {
    BoundedBody body = BoundedBody.limitedTo(maxBodyBytes);
    router.post(PATH).handler(body).handler(this::create);
    router.get(PATH).handler(this::list);
    router.get(PATH + "/:id").handler(this::get);
    router.patch(PATH + "/:id").handler(body).handler(this::edit);
    router.delete(PATH + "/:id").handler(this::delete);
    router.post(PATH + "/:id/payments").handler(body).handler(this::pay);
    router.post(PATH + "/:id/shipment").handler(body).handler(this::ship);
    router.put(PATH + "/:id/shipment").handler(body).handler(this::track);
    router.post(PATH + "/:id/delivery").handler(body).handler(this::deliver);
  }

  private void create(RoutingContext ctx) {
    runner.change(ctx, change -> {
      JsonBody body = JsonBody.of(ctx);
      JsonArray items = body.array("items", 1, 100);
      Map<String, Integer> quantities = new TreeMap<>(); // sorted: reservations lock variants in one order
      for (int i = 0; i < items.size(); i++) {
        JsonBody item = JsonBody.element(items, i, "items");
        quantities.merge(item.id("variantId"), item.integer("quantity", 1, 1_000_000), Integer::sum);
      }
      String id = body.optionalId("id");
      Principal p = change.principal();
      String customerId = body.id("customerId");
      if (!p.isStaff() && !(p.is(Principal.CUSTOMER) && p.subject().equals(customerId))) {
        throw AuthException.forbidden("a customer orders for themselves; staff for anyone of their tenant");
      }
      OrderBook.NewOrder order = new OrderBook.NewOrder(id != null ? id : UUID.randomUUID().toString(),
          body.id("shopId"), customerId, quantities, body.optionalString("notes", 4000),
          body.optionalString("deliveryAddress", 500));
      return book.create(change, order).map(o -> versioned(o, 201));
    });
  }

  private void get(RoutingContext ctx) {
    runner.read(ctx, (pool, principal) -> pool.preparedQuery(
            "SELECT order_json(id)::text FROM orders WHERE id = $1 AND deleted_at IS NULL AND tenant_id = $2"
                + " AND ($3::text IS NULL OR customer_id = $3)")
        .execute(Tuple.of(ctx.pathParam("id"), principal.tenant(), ownOnly(principal)))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new ApiError(404, "not_found", "no such order");
          }
          return versioned(new JsonObject(rows.iterator().next().getString(0)), 200);
        }));
  }

  private void list(RoutingContext ctx) {
    runner.read(ctx, (pool, principal) -> {
      String status = ctx.request().getParam("status");
      if (status != null && !OrderStatus.NAMES.contains(status)) {
        throw ApiError.badRequest("status must be one of " + String.join(", ", Set.copyOf(OrderStatus.NAMES)));
      }
      int limit = QueryParams.intParam(ctx, "limit", 50, 1, 500);
      int offset = QueryParams.intParam(ctx, "offset", 0, 0, 1_000_000);
      String tenant = ctx.request().getParam("tenantId");
      if (tenant != null && !tenant.equals(principal.tenant())) {
        throw AuthException.forbidden("not allowed in tenant " + tenant);
      }
      String customer = ownOnly(principal) != null ? ownOnly(principal) : ctx.request().getParam("customerId");
      return pool.preparedQuery(LIST)
          .execute(Tuple.of(status, principal.tenant(), ctx.request().getParam("shopId"), customer, limit, offset))
          .map(rows -> {
            JsonArray orders = new JsonArray();
            rows.forEach(r -> orders.add(new JsonObject(r.getString(0))));
            return Reply.ok(new JsonObject().put("orders", orders).put("limit", limit).put("offset", offset));
          });
    });
  }

  private void edit(RoutingContext ctx) {
    edits.handle(ctx, ctx.pathParam("id"), null, o -> versioned(o, 200));
  }

  /** A customer sees their own orders only; staff every order of their tenant; others none. */
  private static String ownOnly(Principal p) {
    if (p.isStaff()) {
      return null;
    }
    if (p.is(Principal.CUSTOMER)) {
      return p.subject();
    }
    throw AuthException.forbidden("orders are read by their customer and by staff");
  }

  private void delete(RoutingContext ctx) {
    runner.change(ctx, change -> staff(change).delete(change, ctx.pathParam("id"), null, IfMatch.of(ctx))
        .map(o -> Reply.ok(new JsonObject().put("id", o.id()).put("deleted", true))));
  }

  private void pay(RoutingContext ctx) {
    runner.change(ctx, change -> {
      JsonBody body = JsonBody.of(ctx);
      boolean paid = "paid".equals(body.oneOf("status", Set.of("paid", "failed")));
      return staff(change).pay(change, ctx.pathParam("id"), paid, body.has("amount") ? body.money("amount") : null,
              body.optionalString("reason", 500))
          .map(o -> versioned(o, 201));
    });
  }

  private void ship(RoutingContext ctx) {
    runner.change(ctx, change -> {
      JsonBody body = JsonBody.of(ctx);
      return staff(change).ship(change, ctx.pathParam("id"), body.string("trackingNumber", 100),
              body.string("courierName", 100), body.optionalString("trackingUrl", 2000))
          .map(o -> versioned(o, 201));
    });
  }

  private void track(RoutingContext ctx) {
    runner.change(ctx, change -> {
      JsonBody body = JsonBody.of(ctx);
      if (!body.has("trackingNumber") && !body.has("courierName") && !body.has("trackingUrl")) {
        throw JsonBody.invalid("send trackingNumber, courierName or trackingUrl");
      }
      return staff(change).track(change, ctx.pathParam("id"), body).map(o -> versioned(o, 200));
    });
  }

  private void deliver(RoutingContext ctx) {
    runner.change(ctx, change -> staff(change).deliver(change, ctx.pathParam("id")).map(o -> versioned(o, 200)));
  }

  /** The book, once the change's principal is checked to be staff. */
  private OrderBook staff(Change change) {
    Access.staff(change.principal());
    return book;
  }

  static Reply versioned(JsonObject order, int status) {
    return new Reply(status, order, order.getInteger("version"));
  }

  static Reply versioned(OrderSnapshot order, int status) {
    return new Reply(status, order.json(), order.version());
  }
}
