package io.switchboard.api.orders;

import io.switchboard.api.http.Change;
import io.switchboard.api.http.ChangeRunner;
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
      + " WHERE id = $1 AND deleted_at IS NULL AND tenant_id = $2 FOR UPDATE";
  private static final String SNAPSHOT = "SELECT " + OrderSnapshot.COLUMNS + " FROM orders o WHERE o.id = $1";
  private static final String TOUCH = "UPDATE orders o SET version = version + 1, updated_by = $2, updated_at = now()"
      + " WHERE id = $1 RETURNING " + OrderSnapshot.COLUMNS;
  /**
   * One statement for an edit that touches no stock: lock the row (checking tenant and version), check the
   * status machine ($11: the statuses the requested one may follow), write, and append the canonical event to the
   * outbox — after the row lock, as OutboxWriter asks. The event's channels and type are those of
   * {@link #channels} and {@link #transitionType}, written in SQL here: an order status update is the hottest
   * write of the API, and one statement instead of five (with BEGIN and COMMIT) is what lets one node take
   * thousands per second (docs/benchmarks.md).
   */
  private static final String EDIT = """
      WITH old AS (
        SELECT id, status FROM orders WHERE id = $1 AND deleted_at IS NULL
          AND ($9::text IS NULL OR tenant_id = $9) AND ($10::int IS NULL OR version = $10) FOR UPDATE
      ), upd AS (
        UPDATE orders o SET status = COALESCE($2, o.status),
          notes = CASE WHEN $3 THEN NULL ELSE COALESCE($4, o.notes) END,
          assigned_to = CASE WHEN $5 THEN NULL ELSE COALESCE($6, o.assigned_to) END,
          delivery_address = COALESCE($7, o.delivery_address),
          delivered_at = CASE WHEN $2 = 'delivered' AND old.status <> 'delivered' THEN now() ELSE o.delivered_at END,
          version = o.version + 1, updated_by = $8, updated_at = now()
        FROM old WHERE o.id = old.id AND ($2::text IS NULL OR old.status = $2 OR old.status = ANY($11))
        RETURNING old.status AS previous, o.status, %s
      ), appended AS (
        INSERT INTO sb_outbox (channels, type, data, quiet)
        SELECT ARRAY['order:' || id, 'tenant:' || tenant_id || ':orders', 'user:' || customer_id],
               CASE WHEN status = previous THEN 'order.updated' WHEN status = 'shipped' THEN 'order.shipped'
                    WHEN status = 'delivered' THEN 'order.delivered' ELSE 'order.status_changed' END,
               CASE WHEN status = previous THEN json_build_object('order', snapshot::json)
                    ELSE json_build_object('order', snapshot::json, 'previousStatus', previous) END,
               true
        FROM upd
      )
      SELECT previous, snapshot, version, id, tenant_id, customer_id, shop_id FROM upd
      """.formatted("order_row_json(o)::text AS snapshot, o.version, o.id, o.tenant_id, o.customer_id, o.shop_id");

  private final StockLedger ledger;

  public OrderBook(StockLedger ledger) {
    this.ledger = ledger;
  }

  /** An order's row, locked for the rest of the transaction. */
  record Locked(String id, OrderStatus status, int version, String paymentStatus) {}

  /** A new order's lines, merged per variant. */
  record NewOrder(String id, String shopId, String customerId, Map<String, Integer> quantities, String notes,
                  String deliveryAddress) {}

  /**
   * Locks an order of the token's tenant ({@code tenantScope}, when given, must be that tenant too): another
   * tenant's order is not found.
   */
  Future<Locked> lock(Change change, String orderId, String tenantScope) {
    String tenant = tenantOf(change, tenantScope);
    return change.conn().preparedQuery(LOCK).execute(Tuple.of(orderId, tenant)).map(rows -> {
      if (rows.size() == 0) {
        throw new ApiError(404, "not_found", "no such order");
      }
      Row r = rows.iterator().next();
      return new Locked(orderId, OrderStatus.of(r.getString(0)), r.getInteger(1), r.getString(2));
    });
  }

  /** The tenant a change may touch: the token's, and the path's when the path names one (else nothing matches). */
  static String tenantOf(Change change, String tenantScope) {
    String tenant = change.principal().tenant();
    return tenantScope == null || tenantScope.equals(tenant) ? tenant : "!none";
  }

  Future<OrderSnapshot> create(Change change, NewOrder order) {
    var conn = change.conn();
    String tenantId = change.principal().tenant();
    // The shop and the customer are looked up in the caller's tenant only: another tenant's are answered exactly
    // as ones that do not exist.
    return conn.preparedQuery("SELECT EXISTS (SELECT 1 FROM shops WHERE id = $1 AND tenant_id = $3),"
            + " EXISTS (SELECT 1 FROM customers WHERE id = $2 AND tenant_id = $3)")
        .execute(Tuple.of(order.shopId(), order.customerId(), tenantId))
        .compose(rows -> {
          Row r = rows.iterator().next();
          if (!r.getBoolean(0)) {
            throw new ApiError(422, "unknown_reference", "no shop " + order.shopId() + " in this tenant");
          }
          if (!r.getBoolean(1)) {
            throw new ApiError(422, "unknown_reference", "no customer " + order.customerId() + " in this tenant");
          }
          return conn.preparedQuery("SELECT id, product_id, product_name, price, cost FROM variants"
                  + " WHERE id = ANY($1) AND shop_id = $2")
              .execute(Tuple.of(order.quantities().keySet().toArray(String[]::new), order.shopId()))
              .compose(variants -> insertOrder(change, order, tenantId, variants));
        })
        .compose(v -> {
          Future<?> chain = Future.succeededFuture();
          for (var line : order.quantities().entrySet()) {
            chain = chain.compose(x -> ledger.reserveFor(change, line.getKey(), line.getValue(), order.id()));
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

  /** Whether {@link #edit} runs as one statement (see {@link ChangeRunner#changeInOneStatement}). */
  static boolean editsInOneStatement(OrderEdit edit) {
    return edit.status() != OrderStatus.CONFIRMED && edit.status() != OrderStatus.CANCELLED;
  }

  /**
   * PATCH and the tenant PUT: fields and/or a status move, one event. A move that confirms or cancels touches
   * stock and takes the general path, in a transaction; every other edit is the one statement {@link #EDIT}.
   */
  Future<OrderSnapshot> edit(Change change, String orderId, String tenantScope, Integer ifMatch, OrderEdit edit) {
    OrderStatus next = edit.status();
    if (!editsInOneStatement(edit)) {
      return lock(change, orderId, tenantScope).compose(locked -> {
        IfMatch.check(ifMatch, locked.version());
        if (next == locked.status()) {
          return writeFieldsAndEmit(change, orderId, edit);
        }
        locked.status().checkCanBecome(next);
        Future<Void> fields = edit.changesFields() ? writeFields(change, orderId, edit) : Future.succeededFuture();
        return fields.compose(v -> transition(change, locked, next, new JsonObject()));
      });
    }
    return change.conn().preparedQuery(EDIT).execute(Tuple.tuple()
            .addString(orderId)
            .addString(next == null ? null : next.wire())
            .addBoolean(edit.clearNotes()).addString(edit.notes())
            .addBoolean(edit.clearAssignedTo()).addString(edit.assignedTo())
            .addString(edit.deliveryAddress())
            .addString(change.actor())
            .addString(tenantOf(change, tenantScope))
            .addInteger(ifMatch)
            .addArrayOfString(next == null ? new String[0] : next.predecessors()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return whyNotEdited(change, orderId, tenantOf(change, tenantScope), ifMatch, next);
          }
          change.wroteOutboxRows();
          return Future.succeededFuture(OrderSnapshot.of(rows.iterator().next(), 1));
        });
  }

  /** The edit's conditions failed: say which, as the general path would. */
  private Future<OrderSnapshot> whyNotEdited(Change change, String orderId, String tenantScope, Integer ifMatch,
                                          OrderStatus next) {
    return change.conn().preparedQuery("SELECT status, version FROM orders WHERE id = $1 AND deleted_at IS NULL"
            + " AND ($2::text IS NULL OR tenant_id = $2)").execute(Tuple.of(orderId, tenantScope))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ApiError(404, "not_found", "no such order"));
          }
          Row r = rows.iterator().next();
          IfMatch.check(ifMatch, r.getInteger(1));
          if (next != null) {
            OrderStatus.of(r.getString(0)).checkCanBecome(next);
          }
          return Future.failedFuture(ApiError.unavailable("the order changed meanwhile; retry"));
        });
  }

  private Future<OrderSnapshot> writeFieldsAndEmit(Change change, String orderId, OrderEdit edit) {
    return (edit.changesFields() ? writeFields(change, orderId, edit) : Future.<Void>succeededFuture())
        .compose(v -> touchAndEmit(change, orderId, Canonical.ORDER_UPDATED, new JsonObject()));
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
  Future<OrderSnapshot> transition(Change change, Locked locked, OrderStatus next, JsonObject extra) {
    locked.status().checkCanBecome(next);
    Future<Void> stock = switch (next) {
      case CONFIRMED -> ledger.settleOrder(change, locked.id(), true);
      case CANCELLED -> ledger.settleOrder(change, locked.id(), false);
      default -> Future.succeededFuture();
    };
    String type = transitionType(next);
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
  public Future<OrderSnapshot> moveTo(Change change, String orderId, OrderStatus next) {
    return lock(change, orderId, null).compose(locked -> transition(change, locked, next, new JsonObject()));
  }

  Future<OrderSnapshot> pay(Change change, String orderId, boolean paid, BigDecimal amount, String reason) {
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

  Future<OrderSnapshot> ship(Change change, String orderId, String trackingNumber, String courierName,
                          String trackingUrl) {
    return lock(change, orderId, null).compose(locked -> {
      locked.status().checkCanBecome(OrderStatus.SHIPPED);
      return change.conn().preparedQuery("INSERT INTO shipments (order_id, tracking_number, courier_name,"
              + " tracking_url) VALUES ($1, $2, $3, $4)")
          .execute(Tuple.of(orderId, trackingNumber, courierName, trackingUrl))
          .compose(v -> transition(change, locked, OrderStatus.SHIPPED, new JsonObject()));
    });
  }

  Future<OrderSnapshot> track(Change change, String orderId, JsonBody body) {
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

  Future<OrderSnapshot> deliver(Change change, String orderId) {
    return lock(change, orderId, null)
        .compose(locked -> transition(change, locked, OrderStatus.DELIVERED, new JsonObject()));
  }

  Future<OrderSnapshot> delete(Change change, String orderId, String tenantScope, Integer ifMatch) {
    return lock(change, orderId, tenantScope).compose(locked -> {
      IfMatch.check(ifMatch, locked.version());
      return ledger.settleOrder(change, orderId, false)
          .compose(v -> change.conn().preparedQuery("UPDATE orders SET deleted_at = now() WHERE id = $1")
              .execute(Tuple.of(orderId)))
          .compose(v -> touchAndEmit(change, orderId, Canonical.ORDER_DELETED, new JsonObject()));
    });
  }

  private Future<OrderSnapshot> touchAndEmit(Change change, String orderId, String type, JsonObject extra) {
    return change.conn().preparedQuery(TOUCH).execute(Tuple.of(orderId, change.actor()))
        .map(rows -> emitSnapshot(change, type, OrderSnapshot.of(rows.iterator().next(), 0), extra));
  }

  private static OrderSnapshot emitSnapshot(Change change, String type, OrderSnapshot order, JsonObject extra) {
    change.emit(type, channels(type, order), order.eventData(extra));
    return order;
  }

  private static String transitionType(OrderStatus next) {
    return switch (next) {
      case SHIPPED -> Canonical.ORDER_SHIPPED;
      case DELIVERED -> Canonical.ORDER_DELIVERED;
      default -> Canonical.ORDER_STATUS_CHANGED;
    };
  }

  private static Future<OrderSnapshot> emit(Change change, String orderId, String type, JsonObject extra) {
    return change.conn().preparedQuery(SNAPSHOT).execute(Tuple.of(orderId))
        .map(rows -> emitSnapshot(change, type, OrderSnapshot.of(rows.iterator().next(), 0), extra));
  }

  /** The order itself, its tenant's board, its customer; a new order also reaches its shop's dashboard. */
  static List<String> channels(String type, OrderSnapshot order) {
    List<String> channels = new ArrayList<>(4);
    channels.add("order:" + order.id());
    channels.add("tenant:" + order.tenantId() + ":orders");
    channels.add("user:" + order.customerId());
    if (Canonical.ORDER_CREATED.equals(type)) {
      channels.add("shop:" + order.shopId());
    }
    return channels;
  }
}
