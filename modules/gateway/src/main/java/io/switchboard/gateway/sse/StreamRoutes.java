package io.switchboard.gateway.sse;

import io.switchboard.core.dialect.Family;
import io.switchboard.core.http.ApiError;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every SSE endpoint, with the family its frames speak and the channels it follows. docs/api.md lists them; the
 * paths other than the generic stream are the seed documents' own.
 */
public final class StreamRoutes {

  public static final String STREAM_PATH = "/api/v1/realtime/stream";

  private StreamRoutes() {}

  public static void mount(Router router, SseEndpoint endpoint) {
    router.get(STREAM_PATH).handler(ctx -> endpoint.stream(ctx, GENERIC));
    // shop-sse-realtime-guide.md
    router.get("/api/realtime/events").handler(ctx -> endpoint.stream(ctx, SHOP_PUBLIC));
    router.get("/api/realtime/events/user").handler(ctx -> endpoint.stream(ctx, SHOP_USER));
    // delivery-realtime-api.md
    router.get("/api/v1/realtime/orders/:orderId/stream").handler(ctx -> endpoint.stream(ctx, DELIVERY_ORDER));
    router.get("/api/v1/realtime/runs/:runId/stream").handler(ctx -> endpoint.stream(ctx, DELIVERY_RUN));
    router.get("/api/v1/realtime/drivers/:driverId/location").handler(ctx -> endpoint.stream(ctx, DELIVERY_DRIVER));
    // Dispatcher consoles: the tenant's fleet, plus any channels of the generic stream (e.g. tenant:{t}:runs).
    router.get("/api/v1/realtime/fleet/stream").handler(ctx -> endpoint.stream(ctx, FLEET));
    // florist-tenant-updates.md
    router.get("/api/tenants/:tenantId/realtime/orders").handler(ctx -> endpoint.stream(ctx, TENANT_ORDERS));
    // socketio-seller-dashboard.md, over SSE
    router.get("/api/v1/realtime/shops/:shopId/dashboard").handler(ctx -> endpoint.stream(ctx, SHOP_DASHBOARD));
    // tiffin-notifications.md: the order status page
    router.get("/api/notifications/orders/:orderId/status").handler(ctx -> endpoint.stream(ctx, MEAL_ORDER_STATUS));
  }

  /** {@code ?channel=a&channel=b} or {@code ?channels=a,b}. */
  public static final StreamSpec GENERIC = new StreamSpec(Family.CORE, true, (ctx, p) -> {
    Set<String> channels = new LinkedHashSet<>();
    for (String c : ctx.queryParam("channel")) {
      channels.add(c.trim());
    }
    for (String list : ctx.queryParam("channels")) {
      for (String c : list.split(",")) {
        if (!c.isBlank()) {
          channels.add(c.trim());
        }
      }
    }
    return new ArrayList<>(channels);
  });

  /** Public stock updates of a tenant ({@code ?tenant=}, else the token's tenant, else {@code default}). */
  static final StreamSpec SHOP_PUBLIC = new StreamSpec(Family.SHOP, false, (ctx, p) -> {
    String tenant = ctx.request().getParam("tenant");
    if (tenant == null || tenant.isBlank()) {
      tenant = p != null && p.tenant() != null ? p.tenant() : "default";
    }
    return List.of("stock:" + tenant);
  });

  /** The signed-in user's own orders, payments and shipments. */
  static final StreamSpec SHOP_USER = new StreamSpec(Family.SHOP, true, (ctx, p) -> List.of("user:" + p.subject()));

  static final StreamSpec DELIVERY_ORDER = new StreamSpec(Family.DELIVERY, true,
      (ctx, p) -> List.of("order:" + param(ctx, "orderId")));

  static final StreamSpec DELIVERY_RUN = new StreamSpec(Family.DELIVERY, true,
      (ctx, p) -> List.of("run:" + param(ctx, "runId")));

  static final StreamSpec DELIVERY_DRIVER = new StreamSpec(Family.DELIVERY, true,
      (ctx, p) -> List.of("driver:" + param(ctx, "driverId")));

  /** The token's tenant's fleet ({@code fleet:{tenant}}), then whatever {@code ?channel=} adds. */
  static final StreamSpec FLEET = new StreamSpec(Family.DELIVERY, true, (ctx, p) -> {
    List<String> channels = new ArrayList<>();
    channels.add("fleet:" + p.tenant());
    for (String c : GENERIC.channels().resolve(ctx, p)) {
      if (!channels.contains(c)) {
        channels.add(c);
      }
    }
    return channels;
  });

  static final StreamSpec TENANT_ORDERS = new StreamSpec(Family.TENANT, true,
      (ctx, p) -> List.of("tenant:" + param(ctx, "tenantId") + ":orders"));

  static final StreamSpec MEAL_ORDER_STATUS = new StreamSpec(Family.MEAL, true,
      (ctx, p) -> List.of("order:" + param(ctx, "orderId")));

  static final StreamSpec SHOP_DASHBOARD = new StreamSpec(Family.DASHBOARD, true,
      (ctx, p) -> List.of("shop:" + param(ctx, "shopId")));

  private static String param(RoutingContext ctx, String name) {
    String value = ctx.pathParam(name);
    if (value == null || !value.matches("[A-Za-z0-9_\\-.@]{1,100}")) {
      throw ApiError.badRequest(name + " must be 1-100 characters of letters, digits and _-.@");
    }
    return value;
  }
}
