package io.switchboard.api.orders;

import io.switchboard.api.http.Change;
import io.switchboard.api.http.IfMatch;
import io.switchboard.api.http.JsonBody;
import io.switchboard.api.stock.StockLedger;
import io.switchboard.core.dialect.Canonical;
import io.switchboard.core.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Where order events are born: every operation on an order locks its row, applies the status machine and the
 * version check, writes, reads the order's snapshot back and emits one canonical event carrying it — all inside
 * the caller's transaction.
 */
public final class OrderBook {

  private static final String LOCK = "SELECT status, version, payment_status FROM orders"
      + " WHERE id = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR tenant_id = $2) FOR UPDATE";
  private static final String SNAPSHOT = "SELECT order_json($1)::text";
  private static final String TOUCH =
      "UPDATE orders SET version = version + 1, updated_by = $2, updated_at = now() WHERE id = $1";

  private final StockLedger ledger;

  public OrderBook(StockLedger ledger) {
    this.ledger = ledger;
  }

  /** An order's row, locked for the rest of the transaction. */
  record Locked(String id, OrderStatus status, int version, String paymentStatus) {}

  /** A new order's lines, merged per variant. */
  record NewOrder(String id, String shopId, String customerId, Map<String, Integer> quantities, String notes,
                  String deliveryAddress) {}

  Future<Locked> lock(Change change, String orderId, String tenantScope) {
    return change.conn().preparedQuery(LOCK).execute(Tuple.of(orderId, tenantScope)).map(rows -> {
      if (rows.size() == 0) {
        throw new ApiError(404, "not_found", "no such order");
      }
      Row r = rows.iterator().next();
      return new Locked(orderId, OrderStatus.of(r.getString(0)), r.getInteger(1), r.getString(2));
    });
  }

  Future<JsonObject> create(Change change, NewOrder order) {
    var conn = change.conn();
    return conn.preparedQuery("SELECT s.tenant_id, c.tenant_id FROM shops s LEFT JOIN customers c ON c.id = $2"
            + " WHERE s.id = $1").execute(Tuple.of(order.shopId(), order.customerId()))
        .compose(rows -> {
          if (rows.size() == 0) {
            throw new ApiError(422, "unknown_reference", "no such shop: " + order.shopId());
          }
          Row r = rows.iterator().next();
          if (r.getString(1) == null) {
            throw new ApiError(422, "unknown_reference", "no such customer: " + order.customerId());
          }
          if (!r.getString(0).equals(r.getString(1))) {
            throw new ApiError(422, "unknown_reference", "the customer and the shop belong to different tenants");
          }
          String tenantId = r.getString(0);
          return conn.preparedQuery("SELECT id, product_id, product_name, price, cost FROM variants"
                  + " WHERE id = ANY($1) AND shop_id = $2")
              .execute(Tuple.of(order.quantities().keySet().toArray(String[]::new), order.shopId()))
              .compose(variants -> insertOrder(change, order, tenantId, variants));
        })
        .compose(v -> {
          Future<?> chain = Future.succeededFuture();
          for (var line : order.quantities().entrySet()) {
            chain = chain.compose(x -> ledger.reserve(change, line.getKey(), line.getValue(), order.id()));
          }
          return chain;
        })
        .compose(v -> emit(change, order.id(), Canonical.ORDER_CREATED, new JsonObject()));
  }

  private Future<Void> insertOrder(Change change, NewOrder order, String tenantId, Iterable<Row> variants) {
    Map<String, Row> byId = new TreeMap<>();
    variants.forEach(v -> byId.put(v.getString(0), v));
    BigDecimal total = BigDecimal.ZERO;
    BigDecimal cost = BigDecimal.ZERO;
    List<Tuple> items = new ArrayList<>();
    int line = 0;
    for (var entry : order.quantities().entrySet()) {
      Row v = byId.get(entry.getKey());
      if (v == null) {
        throw new ApiError(422, "unknown_reference", "no such variant in this shop: " + entry.getKey());
      }
      BigDecimal qty = BigDecimal.valueOf(entry.getValue());
      total = total.add(v.getBigDecimal(3).multiply(qty));
      cost = cost.add(v.getBigDecimal(4).multiply(qty));
      items.add(Tuple.of(order.id(), ++line, entry.getKey(), v.getString(1), v.getString(2), entry.getValue(),
          v.getBigDecimal(3), v.getBigDecimal(4)));
    }
    var conn = change.conn();
    return conn.preparedQuery("INSERT INTO orders (id, number, tenant_id, shop_id, customer_id, status, total, cost,"
            + " notes, delivery_address, updated_by) VALUES ($1, 'ORD-' || upper(lpad(to_hex(nextval('order_number_seq')),"
            + " 6, '0')), $2, $3, $4, 'pending', $5, $6, $7, $8, $9)")
        .execute(Tuple.tuple().addString(order.id()).addString(tenantId).addString(order.shopId())
            .addString(order.customerId()).addValue(total).addValue(cost).addString(order.notes())
            .addString(order.deliveryAddress()).addString(change.actor()))
        .compose(v -> conn.preparedQuery("INSERT INTO order_items (order_id, line, variant_id, product_id,"
            + " product_name, quantity, price, cost) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)").executeBatch(items))
        .mapEmpty();
  }

  /** PATCH and the tenant PUT: fields and/or a status transition, one event. */
  Future<JsonObject> edit(Change change, String orderId, String tenantScope, Integer ifMatch, OrderEdit edit) {
    return lock(change, orderId, tenantScope).compose(locked -> {
      IfMatch.check(ifMatch, locked.version());
      if (edit.status() != null && edit.status() != locked.status()) {
        locked.status().checkCanBecome(edit.status());
      }
      Future<Void> fields = edit.changesFields() ? writeFields(change, orderId, edit) : Future.succeededFuture();
      return fields.compose(v -> edit.status() != null && edit.status() != locked.status()
          ? transition(change, locked, edit.status(), new JsonObject())
          : touchAndEmit(change, orderId, Canonical.ORDER_UPDATED, new JsonObject()));
    });
  }

  /** The tenant-scoped edit of the florist seed: an order of another tenant is not found. */
  public Future<JsonObject> editForTenant(Change change, String orderId, String tenantId, Integer ifMatch,
                                          JsonBody body) {
    return edit(change, orderId, tenantId, ifMatch, OrderEdit.parse(body));
  }

  private Future<Void> writeFields(Change change, String orderId, OrderEdit edit) {
    return change.conn().preparedQuery("UPDATE orders SET"
            + " notes = CASE WHEN $2 THEN NULL ELSE COALESCE($3, notes) END,"
            + " assigned_to = CASE WHEN $4 THEN NULL ELSE COALESCE($5, assigned_to) END,"
            + " delivery_address = COALESCE($6, delivery_address) WHERE id = $1")
        .execute(Tuple.of(orderId, edit.clearNotes(), edit.notes(), edit.clearAssignedTo(), edit.assignedTo(),
            edit.deliveryAddress()))
        .mapEmpty();
  }

  /**
   * Moves a locked order to {@code next}: confirming commits its reserved stock, cancelling releases it,
   * delivering stamps the time. Shipped and delivered have their own event types; other moves are
   * {@code order.status_changed}.
   */
  Future<JsonObject> transition(Change change, Locked locked, OrderStatus next, JsonObject extra) {
    locked.status().checkCanBecome(next);
    Future<Void> stock = switch (next) {
      case CONFIRMED -> ledger.settleOrder(change, locked.id(), true);
      case CANCELLED -> ledger.settleOrder(change, locked.id(), false);
      default -> Future.succeededFuture();
    };
    String type = switch (next) {
      case SHIPPED -> Canonical.ORDER_SHIPPED;
      case DELIVERED -> Canonical.ORDER_DELIVERED;
      default -> Canonical.ORDER_STATUS_CHANGED;
    };
    return stock
        .compose(v -> change.conn().preparedQuery("UPDATE orders SET status = $2,"
                + " delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END WHERE id = $1")
            .execute(Tuple.of(locked.id(), next.wire())))
        .compose(v -> touchAndEmit(change, locked.id(), type,
            extra.copy().put("previousStatus", locked.status().wire())));
  }

  /** The order's status, its row locked for the rest of the transaction. */
  public Future<OrderStatus> lockedStatus(Change change, String orderId) {
    return lock(change, orderId, null).map(Locked::status);
  }

  /** Another part of the domain (a delivery run) moves an order. */
  public Future<JsonObject> moveTo(Change change, String orderId, OrderStatus next) {
    return lock(change, orderId, null).compose(locked -> transition(change, locked, next, new JsonObject()));
  }

  Future<JsonObject> pay(Change change, String orderId, boolean paid, BigDecimal amount, String reason) {
    return lock(change, orderId, null).compose(locked -> {
      if ("paid".equals(locked.paymentStatus())) {
        throw new ApiError(409, "already_paid", "the order is paid already");
      }
      if (paid && locked.status() != OrderStatus.PENDING) {
        throw new ApiError(409, "illegal_transition", "only a pending order can be paid (it is "
            + locked.status().wire() + ")");
      }
      return change.conn().preparedQuery("INSERT INTO payments (id, order_id, status, amount, reason, created_by)"
              + " SELECT $1, id, $2, COALESCE($3, total), $4, $5 FROM orders WHERE id = $6")
          .execute(Tuple.tuple().addString(UUID.randomUUID().toString()).addString(paid ? "paid" : "failed")
              .addValue(amount).addString(reason).addString(change.actor()).addString(orderId))
          .compose(v -> change.conn().preparedQuery("UPDATE orders SET payment_status = $2 WHERE id = $1")
              .execute(Tuple.of(orderId, paid ? "paid" : "failed")))
          .compose(v -> paid
              ? ledger.settleOrder(change, orderId, true)
                  .compose(x -> change.conn().preparedQuery("UPDATE orders SET status = 'confirmed' WHERE id = $1")
                      .execute(Tuple.of(orderId)))
                  .compose(x -> touchAndEmit(change, orderId, Canonical.PAYMENT_SUCCEEDED,
                      new JsonObject().put("previousStatus", locked.status().wire())))
              : touchAndEmit(change, orderId, Canonical.PAYMENT_FAILED,
                  new JsonObject().put("reason", reason == null ? "Payment processing failed" : reason)));
    });
  }

  Future<JsonObject> ship(Change change, String orderId, String trackingNumber, String courierName,
                          String trackingUrl) {
    return lock(change, orderId, null).compose(locked -> {
      locked.status().checkCanBecome(OrderStatus.SHIPPED);
      return change.conn().preparedQuery("INSERT INTO shipments (order_id, tracking_number, courier_name,"
              + " tracking_url) VALUES ($1, $2, $3, $4)")
          .execute(Tuple.of(orderId, trackingNumber, courierName, trackingUrl))
          .compose(v -> transition(change, locked, OrderStatus.SHIPPED, new JsonObject()));
    });
  }

  Future<JsonObject> track(Change change, String orderId, JsonBody body) {
    return lock(change, orderId, null).compose(locked -> change.conn().preparedQuery("UPDATE shipments SET"
            + " tracking_number = COALESCE($2, tracking_number), courier_name = COALESCE($3, courier_name),"
            + " tracking_url = COALESCE($4, tracking_url), updated_at = now() WHERE order_id = $1")
        .execute(Tuple.of(orderId, body.optionalString("trackingNumber", 100), body.optionalString("courierName", 100),
            body.optionalString("trackingUrl", 2000)))
        .compose(rows -> {
          if (rows.rowCount() == 0) {
            throw new ApiError(409, "not_shipped", "the order has no shipment yet");
          }
          return touchAndEmit(change, orderId, Canonical.TRACKING_UPDATED, new JsonObject());
        }));
  }

  Future<JsonObject> deliver(Change change, String orderId) {
    return lock(change, orderId, null)
        .compose(locked -> transition(change, locked, OrderStatus.DELIVERED, new JsonObject()));
  }

  Future<JsonObject> delete(Change change, String orderId, String tenantScope, Integer ifMatch) {
    return lock(change, orderId, tenantScope).compose(locked -> {
      IfMatch.check(ifMatch, locked.version());
      return ledger.settleOrder(change, orderId, false)
          .compose(v -> change.conn().preparedQuery("UPDATE orders SET deleted_at = now() WHERE id = $1")
              .execute(Tuple.of(orderId)))
          .compose(v -> touchAndEmit(change, orderId, Canonical.ORDER_DELETED, new JsonObject()));
    });
  }

  private Future<JsonObject> touchAndEmit(Change change, String orderId, String type, JsonObject extra) {
    return change.conn().preparedQuery(TOUCH).execute(Tuple.of(orderId, change.actor()))
        .compose(v -> emit(change, orderId, type, extra));
  }

  private static Future<JsonObject> emit(Change change, String orderId, String type, JsonObject extra) {
    return change.conn().preparedQuery(SNAPSHOT).execute(Tuple.of(orderId)).map(rows -> {
      JsonObject order = new JsonObject(rows.iterator().next().getString(0));
      JsonObject data = new JsonObject().put("order", order);
      extra.forEach(e -> data.put(e.getKey(), e.getValue()));
      change.emit(type, channels(type, order), data);
      return order;
    });
  }

  /** The order itself, its tenant's board, its customer; a new order also reaches its shop's dashboard. */
  static List<String> channels(String type, JsonObject order) {
    List<String> channels = new ArrayList<>(4);
    channels.add("order:" + order.getString("id"));
    channels.add("tenant:" + order.getString("tenantId") + ":orders");
    channels.add("user:" + order.getString("customerId"));
    if (Canonical.ORDER_CREATED.equals(type)) {
      channels.add("shop:" + order.getString("shopId"));
    }
    return channels;
  }
}
