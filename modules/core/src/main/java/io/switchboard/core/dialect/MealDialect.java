package io.switchboard.core.dialect;

import io.switchboard.core.event.Event;
import io.switchboard.core.event.IsoTimestamp;
import io.vertx.core.json.JsonObject;

/**
 * The meal app seed ({@code tiffin-notifications.md}): its order status page reads {@code {orderId, status,
 * timestamp}} with {@code onmessage} and nothing else, so only changes of an order's status are shown, and the
 * stream opens without a {@code connected} frame its page could not read (an id-only frame keeps the resume
 * position instead). Its Socket.IO {@code orderStatusUpdate} carries the same JSON.
 */
final class MealDialect implements Dialect {

  @Override
  public Frame render(Event e) {
    if (!changesStatus(e.type())) {
      return null;
    }
    JsonObject order = new JsonObject(e.data()).getJsonObject("order");
    JsonObject json = new JsonObject().put("orderId", order.getValue("id")).put("status", order.getValue("status"))
        .put("timestamp", IsoTimestamp.of(e.timestampMillis()));
    return new Frame("orderStatusUpdate", json.encode());
  }

  static boolean changesStatus(String type) {
    return switch (type) {
      case Canonical.ORDER_CREATED, Canonical.ORDER_STATUS_CHANGED, Canonical.PAYMENT_SUCCEEDED,
           Canonical.ORDER_SHIPPED, Canonical.ORDER_DELIVERED -> true;
      default -> false;
    };
  }

  @Override
  public JsonObject connected(java.util.Map<String, String> params, JsonObject base) {
    return null;
  }

  @Override
  public Naming defaultNaming() {
    return Naming.MESSAGE;
  }
}
