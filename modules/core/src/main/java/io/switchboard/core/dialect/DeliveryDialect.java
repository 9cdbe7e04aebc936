package io.switchboard.core.dialect;

import io.switchboard.core.event.Event;
import io.switchboard.core.event.IsoTimestamp;
import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * The delivery seed ({@code delivery-realtime-api.md}): {@code order_update} with {@code orderId} and the order,
 * {@code run_update} with {@code runId} and the run's progress, {@code driver_location} with the position.
 * Statuses are upper case there ({@code IN_PROGRESS}).
 */
final class DeliveryDialect implements Dialect {

  @Override
  public Frame render(Event e) {
    String type = e.type();
    if (Canonical.DRIVER_LOCATION.equals(type)) {
      return driverLocation(e);
    }
    JsonObject c = new JsonObject(e.data());
    if (Canonical.isOrderEvent(type)) {
      JsonObject order = c.getJsonObject("order").copy();
      order.put("status", upper(order.getString("status")));
      if (Canonical.ORDER_DELETED.equals(type)) {
        order.put("deleted", true);
      }
      if (c.getValue("actualArrival") != null) {
        order.put("actualArrival", c.getValue("actualArrival"));
      } else if (order.getValue("deliveredAt") != null) {
        order.put("actualArrival", order.getValue("deliveredAt"));
      }
      if (c.getValue("estimatedArrival") != null) {
        order.put("estimatedArrival", c.getValue("estimatedArrival"));
      }
      JsonObject json = new JsonObject().put("type", "order_update").put("orderId", order.getValue("id"))
          .put("data", order);
      return new Frame("order_update", json.encode());
    }
    if (type.startsWith("run.")) {
      JsonObject run = c.getJsonObject("run").copy();
      run.put("status", upper(run.getString("status")));
      JsonObject data = new JsonObject().put("status", run.getValue("status"))
          .put("completedStops", run.getValue("completedStops"))
          .put("totalStops", run.getValue("totalStops"));
      run.forEach(entry -> {
        if (!data.containsKey(entry.getKey())) {
          data.put(entry.getKey(), entry.getValue());
        }
      });
      if (c.getValue("stopId") != null) {
        data.put("stopId", c.getValue("stopId"));
      }
      JsonObject json = new JsonObject().put("type", "run_update").put("runId", run.getValue("id"))
          .put("data", data);
      return new Frame("run_update", json.encode());
    }
    return null;
  }

  private static Frame driverLocation(Event e) {
    JsonObject c = new JsonObject(e.data());
    JsonObject location = new JsonObject()
        .put("latitude", c.getValue("latitude"))
        .put("longitude", c.getValue("longitude"))
        .put("heading", c.getValue("heading"))
        .put("speed", c.getValue("speed"));
    Object at = c.getValue("timestamp");
    JsonObject json = new JsonObject().put("type", "driver_location").put("driverId", c.getValue("driverId"))
        .put("location", location)
        .put("timestamp", at != null ? at : IsoTimestamp.of(e.timestampMillis()));
    return new Frame("driver_location", json.encode());
  }

  private static String upper(String status) {
    return status == null ? null : status.toUpperCase(Locale.ROOT);
  }

  @Override
  public Naming defaultNaming() {
    return Naming.MESSAGE;
  }
}
