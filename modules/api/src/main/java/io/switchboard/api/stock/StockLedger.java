package io.switchboard.api.stock;

import io.switchboard.api.http.Change;
import io.switchboard.core.dialect.Canonical;
import io.switchboard.core.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Stock moves inside a change: adjust on-hand stock, reserve, commit, release. Every move is one conditional
 * UPDATE, so concurrent reservations can never oversell (PostgreSQL serialises them on the variant's row and the
 * condition is rechecked); each emits its event, and a move that takes the available stock below the variant's
 * threshold also emits {@code stock.low}.
 */
public final class StockLedger {

  private static final String RESERVE = "UPDATE variants SET reserved = reserved + $2, updated_at = now()"
      + " WHERE id = $1 AND stock_quantity - reserved >= $2 AND shop_id IN (SELECT id FROM shops WHERE tenant_id = $3)"
      + " RETURNING stock_quantity - reserved + $2, low_stock_threshold";
  private static final String ADJUST = "UPDATE variants SET stock_quantity = stock_quantity + $2, updated_at = now()"
      + " WHERE id = $1 AND stock_quantity + $2 >= reserved AND shop_id IN (SELECT id FROM shops WHERE tenant_id = $3)"
      + " RETURNING stock_quantity - reserved - $2, low_stock_threshold";
  private static final String NEW_RESERVATION =
      "INSERT INTO stock_reservations (id, variant_id, order_id, quantity) VALUES ($1, $2, $3, $4)";
  private static final String SETTLE = "UPDATE stock_reservations r SET state = $2, updated_at = now()"
      + " WHERE r.id = $1 AND r.state = 'held' AND EXISTS (SELECT 1 FROM variants v JOIN shops s ON s.id = v.shop_id"
      + " WHERE v.id = r.variant_id AND s.tenant_id = $3) RETURNING r.variant_id, r.quantity, r.order_id";
  private static final String APPLY_COMMIT = "UPDATE variants SET stock_quantity = stock_quantity - $2,"
      + " reserved = reserved - $2, updated_at = now() WHERE id = $1";
  private static final String APPLY_RELEASE =
      "UPDATE variants SET reserved = reserved - $2, updated_at = now() WHERE id = $1";
  /** The order's held reservations, on the variants of the order's own tenant (never anyone else's). */
  private static final String HELD_OF_ORDER = "SELECT r.id FROM stock_reservations r JOIN variants v ON v.id ="
      + " r.variant_id JOIN shops s ON s.id = v.shop_id WHERE r.order_id = $1 AND r.state = 'held'"
      + " AND s.tenant_id = $2 ORDER BY r.variant_id, r.id";
  private static final String ORDER_OF_TENANT =
      "SELECT 1 FROM orders WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL";
  private static final String VARIANT_JSON = "SELECT variant_json($1)::text";

  /** A reservation made: its id, and the variant as it is now. */
  public record Reserved(String reservationId, JsonObject variant) {}

  /**
   * A reservation asked for over the API: {@code orderId}, when given, must be an order of the caller's tenant,
   * answered like a missing one otherwise (a reservation on another tenant's order would be committed or
   * released, or block, by that tenant's payments and cancellations).
   */
  public Future<Reserved> reserve(Change change, String variantId, int quantity, String orderId) {
    if (orderId == null) {
      return reserveFor(change, variantId, quantity, null);
    }
    return change.conn().preparedQuery(ORDER_OF_TENANT).execute(Tuple.of(orderId, tenant(change)))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new ApiError(422, "unknown_reference", "no order " + orderId + " in this tenant"))
            : reserveFor(change, variantId, quantity, orderId));
  }

  /** A reservation for an order this change has just created, in the caller's tenant. */
  public Future<Reserved> reserveFor(Change change, String variantId, int quantity, String orderId) {
    return change.conn().preparedQuery(RESERVE).execute(Tuple.of(variantId, quantity, tenant(change)))
        .compose(rows -> {
      if (rows.size() == 0) {
        return missingOr(change, variantId, new ApiError(409, "insufficient_stock",
            "not enough stock of variant " + variantId + " to reserve " + quantity));
      }
      Row r = rows.iterator().next();
      int before = r.getInteger(0);
      int threshold = r.getInteger(1);
      String reservationId = UUID.randomUUID().toString();
      return change.conn().preparedQuery(NEW_RESERVATION).execute(Tuple.of(reservationId, variantId, orderId, quantity))
          .compose(v -> variant(change, variantId))
          .map(variant -> {
            emit(change, Canonical.STOCK_RESERVED, variant.copy().put("quantity", quantity).put("orderId", orderId)
                .put("reservationId", reservationId));
            lowStockCheck(change, variant, before, threshold);
            return new Reserved(reservationId, variant);
          });
    });
  }

  public Future<JsonObject> adjust(Change change, String variantId, int delta, String reason) {
    return change.conn().preparedQuery(ADJUST).execute(Tuple.of(variantId, delta, tenant(change))).compose(rows -> {
      if (rows.size() == 0) {
        return missingOr(change, variantId, new ApiError(409, "insufficient_stock",
            "stock of variant " + variantId + " cannot go below what is on hand and reserved"));
      }
      Row r = rows.iterator().next();
      int before = r.getInteger(0);
      int threshold = r.getInteger(1);
      return variant(change, variantId).map(variant -> {
        emit(change, Canonical.STOCK_ADJUSTED, variant.copy().put("quantityChange", delta).put("reason", reason));
        lowStockCheck(change, variant, before, threshold);
        return variant;
      });
    });
  }

  public Future<JsonObject> commit(Change change, String reservationId) {
    return settle(change, reservationId, "committed", APPLY_COMMIT, Canonical.STOCK_COMMITTED);
  }

  public Future<JsonObject> release(Change change, String reservationId) {
    return settle(change, reservationId, "released", APPLY_RELEASE, Canonical.STOCK_RELEASED);
  }

  /** Commits (payment) or releases (cancel, delete) every held reservation of an order. */
  public Future<Void> settleOrder(Change change, String orderId, boolean commit) {
    return change.conn().preparedQuery(HELD_OF_ORDER).execute(Tuple.of(orderId, tenant(change))).compose(rows -> {
      List<String> ids = new ArrayList<>();
      rows.forEach(r -> ids.add(r.getString(0)));
      Future<?> chain = Future.succeededFuture();
      for (String id : ids) {
        chain = chain.compose(v -> commit ? commit(change, id) : release(change, id));
      }
      return chain.mapEmpty();
    });
  }

  private Future<JsonObject> settle(Change change, String reservationId, String state, String apply, String type) {
    return change.conn().preparedQuery(SETTLE).execute(Tuple.of(reservationId, state, tenant(change)))
        .compose(rows -> {
      if (rows.size() == 0) {
        return change.conn().preparedQuery("SELECT r.state FROM stock_reservations r JOIN variants v"
                + " ON v.id = r.variant_id JOIN shops s ON s.id = v.shop_id WHERE r.id = $1 AND s.tenant_id = $2")
            .execute(Tuple.of(reservationId, tenant(change)))
            .compose(found -> Future.failedFuture(found.size() == 0
                ? new ApiError(404, "not_found", "no such reservation")
                : new ApiError(409, "reservation_not_held",
                    "the reservation is " + found.iterator().next().getString(0) + " already")));
      }
      Row r = rows.iterator().next();
      String variantId = r.getString(0);
      int quantity = r.getInteger(1);
      String orderId = r.getString(2);
      return change.conn().preparedQuery(apply).execute(Tuple.of(variantId, quantity))
          .compose(v -> variant(change, variantId))
          .map(variant -> {
            JsonObject data = variant.copy().put("quantity", quantity).put("orderId", orderId)
                .put("reservationId", reservationId);
            emit(change, type, data);
            return data;
          });
    });
  }

  /** Every stock move is scoped to the token's tenant: another tenant's variant is not found. */
  private static String tenant(Change change) {
    return change.principal().tenant();
  }

  private static Future<JsonObject> variant(Change change, String variantId) {
    return change.conn().preparedQuery(VARIANT_JSON).execute(Tuple.of(variantId))
        .map(rows -> new JsonObject(rows.iterator().next().getString(0)));
  }

  private static <T> Future<T> missingOr(Change change, String variantId, ApiError otherwise) {
    return change.conn().preparedQuery("SELECT 1 FROM variants v JOIN shops s ON s.id = v.shop_id"
            + " WHERE v.id = $1 AND s.tenant_id = $2").execute(Tuple.of(variantId, tenant(change)))
        .compose(rows -> Future.failedFuture(rows.size() == 0
            ? new ApiError(404, "not_found", "no such variant: " + variantId)
            : otherwise));
  }

  private static void lowStockCheck(Change change, JsonObject variant, int before, int threshold) {
    int after = variant.getInteger("available");
    if (before >= threshold && after < threshold) {
      emit(change, Canonical.STOCK_LOW, variant.copy());
    }
  }

  private static void emit(Change change, String type, JsonObject data) {
    change.emit(type, channels(data), data);
  }

  /** Public stock of the tenant, the shop's dashboard, and the variant itself. */
  static List<String> channels(JsonObject variant) {
    return List.of("stock:" + variant.getString("tenantId"), "shop:" + variant.getString("shopId"),
        "variant:" + variant.getString("variantId"));
  }
}
