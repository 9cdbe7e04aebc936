package io.switchboard.core.dialect;

import io.switchboard.core.event.Event;
import io.switchboard.core.event.IsoTimestamp;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Map;

/**
 * The shop seed ({@code shop-sse-realtime-guide.md}): {@code {"type":..,"data":{snake_case},"timestamp":..}}.
 * The public stream shows stock events, the user stream the user's order, payment and shipment events.
 */
final class ShopDialect implements Dialect {

  @Override
  public Frame render(Event e) {
    JsonObject c = new JsonObject(e.data());
    String type;
    JsonObject data;
    switch (e.type()) {
      case Canonical.STOCK_ADJUSTED -> {
        type = "stock_updated";
        data = new JsonObject().put("variant_id", c.getValue("variantId"))
            .put("stock_quantity", c.getValue("stockQuantity"))
            .put("quantity_change", c.getValue("quantityChange"))
            .put("type", "adjustment");
      }
      case Canonical.STOCK_RESERVED -> {
        type = "stock_reserved";
        data = stock(c).put("available_stock", c.getValue("available"));
      }
      case Canonical.STOCK_COMMITTED -> {
        type = "stock_committed";
        data = stock(c).put("stock_quantity", c.getValue("stockQuantity"));
      }
      case Canonical.STOCK_RELEASED -> {
        type = "stock_released";
        data = stock(c).put("available_stock", c.getValue("available"));
      }
      case Canonical.ORDER_CREATED -> {
        type = "order_created";
        data = order(c).put("status", status(c));
      }
      case Canonical.PAYMENT_SUCCEEDED -> {
        type = "payment_success";
        data = order(c).put("payment_status", "paid").put("status", status(c));
      }
      case Canonical.PAYMENT_FAILED -> {
        type = "payment_failed";
        data = order(c).put("payment_status", "failed").put("reason", c.getValue("reason"));
      }
      case Canonical.ORDER_SHIPPED -> {
        type = "order_shipped";
        JsonObject o = c.getJsonObject("order");
        data = order(c).put("status", status(c))
            .put("tracking_number", o.getValue("trackingNumber"))
            .put("courier_name", o.getValue("courierName"));
      }
      case Canonical.TRACKING_UPDATED -> {
        type = "tracking_updated";
        JsonObject o = c.getJsonObject("order");
        data = order(c)
            .put("tracking_number", o.getValue("trackingNumber"))
            .put("courier_name", o.getValue("courierName"))
            .put("tracking_url", o.getValue("trackingUrl"));
      }
      case Canonical.ORDER_DELIVERED -> {
        type = "order_delivered";
        data = order(c).put("status", status(c)).put("delivered_at", c.getJsonObject("order").getValue("deliveredAt"));
      }
      case Canonical.ORDER_STATUS_CHANGED -> {
        type = "order_status_updated";
        data = order(c).put("status", status(c)).put("previous_status", c.getValue("previousStatus"));
      }
      default -> {
        return null;
      }
    }
    JsonObject envelope = new JsonObject().put("type", type).put("data", data)
        .put("timestamp", IsoTimestamp.of(e.timestampMillis()));
    return new Frame(type, envelope.encode());
  }

  private static JsonObject stock(JsonObject c) {
    return new JsonObject().put("variant_id", c.getValue("variantId"))
        .put("quantity", c.getValue("quantity"))
        .put("order_id", c.getValue("orderId"));
  }

  private static JsonObject order(JsonObject c) {
    JsonObject o = c.getJsonObject("order");
    return new JsonObject().put("order_id", o.getValue("id")).put("order_number", o.getValue("number"));
  }

  private static Object status(JsonObject c) {
    return c.getJsonObject("order").getValue("status");
  }

  @Override
  public JsonObject connected(Map<String, String> params, JsonObject base) {
    return new JsonObject().put("type", "connected").put("message", "Real-time updates connected")
        .put("timestamp", Instant.now().toString()).put("lastEventId", base.getValue("lastEventId"));
  }

  @Override
  public Naming defaultNaming() {
    // The seed's pages use onmessage and addEventListener('stock_updated') alike.
    return Naming.BOTH;
  }
}
