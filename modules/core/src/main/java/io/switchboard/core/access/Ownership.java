package io.switchboard.core.access;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who owns what, read from the domain tables: an order's tenant and customer, a run's tenant, driver and status,
 * and who delivers to whom. Facts that never change (an order's tenant) are cached long; relations that do
 * (which driver delivers an order now) for a few seconds, so a reconnect storm costs few queries.
 */
final class Ownership {

  record OrderOwner(String tenant, String customer) {}

  record RunOwner(String tenant, String driver, String status) {
    boolean active() {
      return "assigned".equals(status) || "in_progress".equals(status);
    }
  }

  private static final long FACT_TTL_MS = 10 * 60_000;
  private static final long RELATION_TTL_MS = 5_000;
  private static final int MAX_ENTRIES = 100_000;

  private record Cached(Object value, long expiresAt) {}

  private static final Object NONE = new Object();

  private final Pool pool;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  Ownership(Pool pool) {
    this.pool = pool;
  }

  /** Null when there is no such (live) order. */
  Future<OrderOwner> order(String id) {
    return cached("order:" + id, FACT_TTL_MS, "SELECT tenant_id, customer_id FROM orders"
        + " WHERE id = $1 AND deleted_at IS NULL", Tuple.of(id), r -> new OrderOwner(r.getString(0), r.getString(1)));
  }

  Future<RunOwner> run(String id) {
    return cached("run:" + id, RELATION_TTL_MS, "SELECT tenant_id, driver_id, status FROM runs WHERE id = $1",
        Tuple.of(id), r -> new RunOwner(r.getString(0), r.getString(1), r.getString(2)));
  }

  Future<String> tenantOfCustomer(String id) {
    return cached("customer:" + id, FACT_TTL_MS, "SELECT tenant_id FROM customers WHERE id = $1", Tuple.of(id),
        r -> r.getString(0));
  }

  Future<String> tenantOfDriver(String id) {
    return cached("driver:" + id, FACT_TTL_MS, "SELECT tenant_id FROM drivers WHERE id = $1", Tuple.of(id),
        r -> r.getString(0));
  }

  Future<String> tenantOfShop(String id) {
    return cached("shop:" + id, FACT_TTL_MS, "SELECT tenant_id FROM shops WHERE id = $1", Tuple.of(id),
        r -> r.getString(0));
  }

  Future<String> tenantOfVariant(String id) {
    return cached("variant:" + id, FACT_TTL_MS, "SELECT s.tenant_id FROM variants v JOIN shops s ON s.id = v.shop_id"
        + " WHERE v.id = $1", Tuple.of(id), r -> r.getString(0));
  }

  /** The driver has an active run with a stop for this order. */
  Future<Boolean> driverDeliversOrder(String driver, String order) {
    return exists("drives-order:" + driver + ":" + order, "SELECT 1 FROM run_stops s JOIN runs r ON r.id = s.run_id"
        + " WHERE s.order_id = $1 AND r.driver_id = $2 AND r.status IN ('assigned', 'in_progress') LIMIT 1",
        Tuple.of(order, driver));
  }

  /** The run has a stop for an order of this customer. */
  Future<Boolean> runDeliversCustomer(String run, String customer) {
    return exists("run-customer:" + run + ":" + customer, "SELECT 1 FROM run_stops s JOIN orders o"
        + " ON o.id = s.order_id WHERE s.run_id = $1 AND o.customer_id = $2 LIMIT 1", Tuple.of(run, customer));
  }

  /** The driver has an active run with a stop for an order of this customer. */
  Future<Boolean> driverDeliversCustomer(String driver, String customer) {
    return exists("driver-customer:" + driver + ":" + customer, "SELECT 1 FROM runs r JOIN run_stops s"
        + " ON s.run_id = r.id JOIN orders o ON o.id = s.order_id WHERE r.driver_id = $1"
        + " AND r.status IN ('assigned', 'in_progress') AND o.customer_id = $2 LIMIT 1", Tuple.of(driver, customer));
  }

  /** The orders of this customer that are stops of this run (a run's stops are fixed when it is created). */
  Future<Set<String>> customerOrdersOnRun(String run, String customer) {
    return pool.preparedQuery("SELECT s.order_id FROM run_stops s JOIN orders o ON o.id = s.order_id"
        + " WHERE s.run_id = $1 AND o.customer_id = $2").execute(Tuple.of(run, customer)).map(rows -> {
          Set<String> ids = new HashSet<>();
          rows.forEach(r -> ids.add(r.getString(0)));
          return ids;
        });
  }

  private Future<Boolean> exists(String key, String sql, Tuple args) {
    return cached(key, RELATION_TTL_MS, sql, args, r -> Boolean.TRUE).map(v -> v != null);
  }

  @SuppressWarnings("unchecked")
  private <T> Future<T> cached(String key, long ttl, String sql, Tuple args,
                               java.util.function.Function<Row, T> read) {
    long now = System.currentTimeMillis();
    Cached c = cache.get(key);
    if (c != null && c.expiresAt() > now) {
      return Future.succeededFuture(c.value() == NONE ? null : (T) c.value());
    }
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      T value = rows.size() == 0 ? null : read.apply(rows.iterator().next());
      if (cache.size() > MAX_ENTRIES) {
        cache.clear();
      }
      // A missing entity may be created any moment: remember its absence only briefly.
      cache.put(key, new Cached(value == null ? NONE : value, now + (value == null ? 1_000 : ttl)));
      return value;
    });
  }
}
