package io.switchboard.core.dialect;

import io.switchboard.core.event.Event;
import io.switchboard.core.event.IsoTimestamp;
import io.vertx.core.json.JsonObject;

/**
 * The meal app seed's {@code notification} event ({@code tiffin-notifications.md}): what its customer is told about
 * their own orders, the confirmation of a new order, each change of its status and a failed payment, as
 * {@code {id, type, orderId, status, title, message, timestamp}} (the seed's {@code showNotification} shows the
 * title and message). {@code id} is the event's id, so a page can drop a notification it already showed.
 */
final class NotificationDialect implements Dialect {

  static final String EVENT_NAME = "notification";

  @Override
  public Frame render(Event e) {
    String type;
    String title;
    JsonObject order = new JsonObject(e.data()).getJsonObject("order");
    String status = order.getString("status");
    String orderId = String.valueOf(order.getValue("id"));
    switch (e.type()) {
      case Canonical.ORDER_CREATED -> {
        type = "order_confirmation";
        title = "Order placed";
      }
      case Canonical.PAYMENT_FAILED -> {
        type = "payment_failed";
        title = "Payment failed";
      }
      default -> {
        if (!MealDialect.changesStatus(e.type())) {
          return null;
        }
        type = "order_status";
        title = "Order " + status;
      }
    }
    String message = switch (type) {
      case "order_confirmation" -> "We received your order " + orderId + ".";
      case "payment_failed" -> "The payment for order " + orderId + " failed.";
      default -> "Your order " + orderId + " is now " + status + ".";
    };
    JsonObject json = new JsonObject().put("id", e.eventId()).put("type", type).put("orderId", order.getValue("id"))
        .put("status", status).put("title", title).put("message", message)
        .put("timestamp", IsoTimestamp.of(e.timestampMillis()));
    return new Frame(EVENT_NAME, json.encode());
  }

  @Override
  public Naming defaultNaming() {
    return Naming.NAMED;
  }
}
