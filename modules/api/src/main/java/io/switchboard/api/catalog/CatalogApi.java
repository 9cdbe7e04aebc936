package io.switchboard.api.catalog;

import io.switchboard.api.http.Access;
import io.switchboard.api.http.ChangeRunner;
import io.switchboard.api.http.JsonBody;
import io.switchboard.api.http.Reply;
import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.BoundedBody;
import io.switchboard.core.http.RouteContributor;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * The reference data orders point at: tenants, customers, shops, product variants (with their stock) and drivers.
 * Created and read only; their changes carry no events of their own (stock changes go through the stock API).
 */
public final class CatalogApi implements RouteContributor {

  static final String VARIANT_JSON = "json_build_object('id', v.id, 'shopId', v.shop_id, 'productId', v.product_id,"
      + " 'productName', v.product_name, 'name', v.name, 'price', v.price, 'cost', v.cost,"
      + " 'stockQuantity', v.stock_quantity, 'reserved', v.reserved, 'available', v.stock_quantity - v.reserved,"
      + " 'lowStockThreshold', v.low_stock_threshold)::text";

  private final ChangeRunner runner;
  private final int maxBodyBytes;

  public CatalogApi(ChangeRunner runner, int maxBodyBytes) {
    this.runner = runner;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void mount(Router router) {
    router.post("/api/v1/tenants").handler(BoundedBody.limitedTo(maxBodyBytes)).handler(this::createTenant);
    router.get("/api/v1/tenants/:id").handler(ctx -> get(ctx, "tenant",
        "SELECT json_build_object('id', id, 'name', name)::text FROM tenants WHERE id = $1 AND id = $2"));
    router.post("/api/v1/customers").handler(BoundedBody.limitedTo(maxBodyBytes)).handler(this::createCustomer);
    router.get("/api/v1/customers/:id").handler(ctx -> get(ctx, "customer",
        "SELECT json_build_object('id', id, 'tenantId', tenant_id, 'email', email, 'name', name)::text"
            + " FROM customers WHERE id = $1 AND tenant_id = $2"));
    router.post("/api/v1/shops").handler(BoundedBody.limitedTo(maxBodyBytes)).handler(this::createShop);
    router.get("/api/v1/shops/:id").handler(ctx -> get(ctx, "shop",
        "SELECT json_build_object('id', id, 'tenantId', tenant_id, 'name', name)::text FROM shops WHERE id = $1"
            + " AND tenant_id = $2"));
    router.post("/api/v1/variants").handler(BoundedBody.limitedTo(maxBodyBytes)).handler(this::createVariant);
    router.get("/api/v1/variants/:id").handler(ctx -> get(ctx, "variant",
        "SELECT " + VARIANT_JSON + " FROM variants v JOIN shops s ON s.id = v.shop_id WHERE v.id = $1"
            + " AND s.tenant_id = $2"));
    router.post("/api/v1/drivers").handler(BoundedBody.limitedTo(maxBodyBytes)).handler(this::createDriver);
    router.get("/api/v1/drivers/:id").handler(ctx -> get(ctx, "driver",
        "SELECT json_build_object('id', id, 'tenantId', tenant_id, 'name', name)::text FROM drivers WHERE id = $1"
            + " AND tenant_id = $2"));
  }

  /** An admin (or service) creates the tenant its token names, once. */
  private void createTenant(RoutingContext ctx) {
    runner.change(ctx, change -> {
      Access.manager(change.principal());
      JsonBody body = JsonBody.of(ctx);
      String id = body.id("id");
      Access.tenant(change.principal(), id);
      return insert(change.conn(), "INSERT INTO tenants (id, name) VALUES ($1, $2)"
              + " RETURNING json_build_object('id', id, 'name', name)::text",
          Tuple.of(id, body.string("name", 200)));
    });
  }

  private void createCustomer(RoutingContext ctx) {
    runner.change(ctx, change -> {
      Access.manager(change.principal());
      JsonBody body = JsonBody.of(ctx);
      String tenant = Access.tenantOf(change.principal(), body);
      return insert(change.conn(), "INSERT INTO customers (id, tenant_id, email, name) VALUES ($1, $2, $3, $4)"
              + " RETURNING json_build_object('id', id, 'tenantId', tenant_id, 'email', email, 'name', name)::text",
          Tuple.of(idOf(body), tenant, body.optionalString("email", 320), body.optionalString("name", 200)));
    });
  }

  private void createShop(RoutingContext ctx) {
    runner.change(ctx, change -> {
      Access.manager(change.principal());
      JsonBody body = JsonBody.of(ctx);
      String tenant = Access.tenantOf(change.principal(), body);
      return insert(change.conn(), "INSERT INTO shops (id, tenant_id, name) VALUES ($1, $2, $3)"
              + " RETURNING json_build_object('id', id, 'tenantId', tenant_id, 'name', name)::text",
          Tuple.of(idOf(body), tenant, body.string("name", 200)));
    });
  }

  private void createVariant(RoutingContext ctx) {
    runner.change(ctx, change -> {
      Access.manager(change.principal());
      JsonBody body = JsonBody.of(ctx);
      String id = idOf(body);
      String productId = body.optionalId("productId");
      BigDecimal cost = body.has("cost") ? body.money("cost") : BigDecimal.ZERO.setScale(2);
      Integer threshold = body.optionalInteger("lowStockThreshold", 0, 1_000_000);
      Tuple args = Tuple.tuple().addString(id).addString(body.id("shopId"))
          .addString(productId == null ? id : productId).addString(body.string("productName", 200))
          .addString(body.has("name") ? body.optionalString("name", 200) : "")
          .addValue(body.money("price")).addValue(cost)
          .addInteger(body.integer("stockQuantity", 0, 100_000_000))
          .addInteger(threshold == null ? 5 : threshold);
      // Only into a shop of the token's tenant: the INSERT selects the shop with the tenant ($10).
      return change.conn().preparedQuery("WITH v AS (INSERT INTO variants (id, shop_id, product_id, product_name,"
              + " name, price, cost, stock_quantity, low_stock_threshold) SELECT $1, s.id, $3, $4, $5, $6, $7, $8, $9"
              + " FROM shops s WHERE s.id = $2 AND s.tenant_id = $10 RETURNING *) SELECT " + VARIANT_JSON + " FROM v")
          .execute(args.addString(change.principal().tenant()))
          .map(rows -> {
            if (rows.size() == 0) {
              throw new ApiError(422, "unknown_reference", "no such shop in this tenant");
            }
            return Reply.created(new JsonObject(rows.iterator().next().getString(0)));
          });
    });
  }

  private void createDriver(RoutingContext ctx) {
    runner.change(ctx, change -> {
      Access.manager(change.principal());
      JsonBody body = JsonBody.of(ctx);
      String tenant = Access.tenantOf(change.principal(), body);
      return insert(change.conn(), "INSERT INTO drivers (id, tenant_id, name) VALUES ($1, $2, $3)"
              + " RETURNING json_build_object('id', id, 'tenantId', tenant_id, 'name', name)::text",
          Tuple.of(idOf(body), tenant, body.string("name", 200)));
    });
  }

  private static String idOf(JsonBody body) {
    String id = body.optionalId("id");
    return id != null ? id : UUID.randomUUID().toString();
  }

  private static Future<Reply> insert(SqlClient conn, String sql, Tuple args) {
    return conn.preparedQuery(sql).execute(args)
        .map(rows -> Reply.created(new JsonObject(rows.iterator().next().getString(0))));
  }

  /** Staff read their own tenant's reference data; another tenant's is not found. */
  private void get(RoutingContext ctx, String what, String sql) {
    runner.read(ctx, (pool, principal) -> {
      Access.staff(principal);
      return pool.preparedQuery(sql).execute(Tuple.of(ctx.pathParam("id"), principal.tenant()))
          .map(rows -> {
            if (rows.size() == 0) {
              throw new ApiError(404, "not_found", "no such " + what);
            }
            return Reply.ok(new JsonObject(rows.iterator().next().getString(0)));
          });
    });
  }
}
