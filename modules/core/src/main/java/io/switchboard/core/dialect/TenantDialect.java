package io.switchboard.core.dialect;

import io.switchboard.core.event.Event;
import io.switchboard.core.event.IsoTimestamp;
import io.vertx.core.json.JsonObject;

/**
 * The florist seed ({@code florist-tenant-updates.md}): {@code order_created}, {@code order_updated},
 * {@code order_deleted}, each {@code {"type","orderId","timestamp","updatedBy"}}; the page reloads what changed.
 * Also used for the answers of the polling fallback.
 */
final class TenantDialect implements Dialect {

  @Override
  public Frame render(Event e) {
    // An ETA moves every half minute: not a change the florist's order list should refetch for.
    if (!Canonical.isOrderEvent(e.type()) || Canonical.ORDER_ETA_UPDATED.equals(e.type())) {
      return null;
    }
    JsonObject order = new JsonObject(e.data()).getJsonObject("order");
    String type = switch (e.type()) {
      case Canonical.ORDER_CREATED -> "order_created";
      case Canonical.ORDER_DELETED -> "order_deleted";
      default -> "order_updated";
    };
    JsonObject json = new JsonObject().put("type", type).put("orderId", order.getValue("id"))
        .put("timestamp", IsoTimestamp.of(e.timestampMillis()))
        .put("updatedBy", order.getValue("updatedBy"));
    return new Frame(type, json.encode());
  }

  @Override
  public Naming defaultNaming() {
    return Naming.MESSAGE;
  }
}
