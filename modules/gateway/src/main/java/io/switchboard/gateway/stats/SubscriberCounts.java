package io.switchboard.gateway.stats;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This node's subscribers, per tenant, by what they watch: a stream counts once per kind it follows (an order, a
 * run, a driver), and once in {@code totalClients}. Per tenant, because a tenant's staff may see its own counts
 * and nobody else's. Updated by every event loop as streams open and close.
 */
public final class SubscriberCounts {

  private static final class Counts {
    final AtomicInteger orders = new AtomicInteger();
    final AtomicInteger runs = new AtomicInteger();
    final AtomicInteger drivers = new AtomicInteger();
    final AtomicInteger total = new AtomicInteger();
  }

  private final Map<String, Counts> byTenant = new ConcurrentHashMap<>();

  public void opened(String tenant, List<String> channels) {
    change(tenant, channels, 1);
  }

  public void closed(String tenant, List<String> channels) {
    change(tenant, channels, -1);
  }

  private void change(String tenant, List<String> channels, int delta) {
    Counts c = byTenant.computeIfAbsent(tenant == null ? "" : tenant, t -> new Counts());
    c.total.addAndGet(delta);
    if (watches(channels, "order:")) {
      c.orders.addAndGet(delta);
    }
    if (watches(channels, "run:")) {
      c.runs.addAndGet(delta);
    }
    if (watches(channels, "driver:")) {
      c.drivers.addAndGet(delta);
    }
  }

  private static boolean watches(List<String> channels, String prefix) {
    for (String c : channels) {
      if (c.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** {@code {"tenants": {"<tenant>": {orders, runs, drivers, totalClients}}}}, tenants with streams only. */
  public JsonObject toJson() {
    JsonObject tenants = new JsonObject();
    byTenant.forEach((tenant, c) -> {
      if (c.total.get() > 0) {
        tenants.put(tenant, of(c.orders.get(), c.runs.get(), c.drivers.get(), c.total.get()));
      }
    });
    return new JsonObject().put("tenants", tenants);
  }

  static JsonObject of(int orders, int runs, int drivers, int total) {
    return new JsonObject().put("orders", orders).put("runs", runs).put("drivers", drivers)
        .put("totalClients", total);
  }
}
