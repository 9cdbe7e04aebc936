package io.switchboard.api.orders;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/**
 * An order as {@code order_row_json} rendered it, kept as text: it goes into the event and the answer as is,
 * with the few fields the API needs read from the same row.
 */
public record OrderSnapshot(String json, int version, String id, String tenantId, String customerId, String shopId) {

  /** The columns every statement that returns a snapshot selects, in this order. */
  static final String COLUMNS = "order_row_json(o)::text, o.version, o.id, o.tenant_id, o.customer_id, o.shop_id";

  static OrderSnapshot of(Row r, int from) {
    return new OrderSnapshot(r.getString(from), r.getInteger(from + 1), r.getString(from + 2),
        r.getString(from + 3), r.getString(from + 4), r.getString(from + 5));
  }

  public JsonObject parse() {
    return new JsonObject(json);
  }

  /** The canonical event's data: {@code {"order": <snapshot>, <extra fields>}}. */
  String eventData(JsonObject extra) {
    if (extra.isEmpty()) {
      return "{\"order\":" + json + "}";
    }
    return "{\"order\":" + json + "," + extra.encode().substring(1);
  }
}
