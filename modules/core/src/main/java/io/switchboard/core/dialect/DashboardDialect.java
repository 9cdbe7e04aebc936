package io.switchboard.core.dialect;

import io.switchboard.core.event.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;


/**
 * The seller dashboard seed ({@code socketio-seller-dashboard.md}), over SSE: every frame is a
 * {@code dashboard_update} whose JSON is {@code {"type": new_order | low_stock | inventory_update, "data": ..}}.
 */
final class DashboardDialect implements Dialect {

  static final String EVENT_NAME = "dashboard_update";

  @Override
  public Frame render(Event e) {
    JsonObject c;
    JsonObject json;
    switch (e.type()) {
      case Canonical.ORDER_CREATED -> {
        c = new JsonObject(e.data()).getJsonObject("order");
        JsonArray items = new JsonArray();
        for (Object o : c.getJsonArray("items")) {
          JsonObject i = (JsonObject) o;
          items.add(new JsonObject().put("productId", i.getValue("variantId"))
              .put("productName", i.getValue("productName"))
              .put("quantity", i.getValue("quantity"))
              .put("price", i.getValue("price")));
        }
        JsonObject data = new JsonObject().put("orderId", c.getValue("id")).put("total", c.getValue("total"))
            .put("revenue", c.getValue("revenue")).put("profit", c.getValue("profit")).put("items", items);
        if (c.getValue("customerEmail") != null) {
          data.put("customerEmail", c.getValue("customerEmail"));
        }
        data.put("createdAt", c.getValue("createdAt"));
        json = new JsonObject().put("type", "new_order").put("data", data);
      }
      case Canonical.STOCK_LOW -> {
        c = new JsonObject(e.data());
        json = new JsonObject().put("type", "low_stock").put("data", new JsonObject()
            .put("productId", c.getValue("variantId"))
            .put("productName", c.getValue("productName"))
            .put("currentStock", c.getValue("available"))
            .put("threshold", c.getValue("threshold")));
      }
      case Canonical.STOCK_ADJUSTED, Canonical.STOCK_COMMITTED -> {
        c = new JsonObject(e.data());
        json = new JsonObject().put("type", "inventory_update").put("data", new JsonObject()
            .put("updates", new JsonArray().add(new JsonObject()
                .put("productId", c.getValue("variantId"))
                .put("productName", c.getValue("productName"))
                .put("newStock", c.getValue("stockQuantity")))));
      }
      default -> {
        return null;
      }
    }
    return new Frame(EVENT_NAME, json.encode());
  }

  @Override
  public Naming defaultNaming() {
    // A Socket.IO page listened for 'dashboard_update'; onmessage pages work as well.
    return Naming.BOTH;
  }
}
