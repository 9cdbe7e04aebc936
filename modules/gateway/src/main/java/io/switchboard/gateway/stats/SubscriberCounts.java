package io.switchboard.gateway.stats;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This node's SSE subscribers, by what they watch: a stream counts once per kind it follows (an order, a run, a
 * driver), and once in {@code totalClients}. Updated by every event loop as streams open and close.
 */
public final class SubscriberCounts {

  private final AtomicInteger orders = new AtomicInteger();
  private final AtomicInteger runs = new AtomicInteger();
  private final AtomicInteger drivers = new AtomicInteger();
  private final AtomicInteger total = new AtomicInteger();

  public void opened(List<String> channels) {
    change(channels, 1);
  }

  public void closed(List<String> channels) {
    change(channels, -1);
  }

  private void change(List<String> channels, int delta) {
    total.addAndGet(delta);
    if (watches(channels, "order:")) {
      orders.addAndGet(delta);
    }
    if (watches(channels, "run:")) {
      runs.addAndGet(delta);
    }
    if (watches(channels, "driver:")) {
      drivers.addAndGet(delta);
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

  public JsonObject toJson() {
    return new JsonObject().put("orders", orders.get()).put("runs", runs.get()).put("drivers", drivers.get())
        .put("totalClients", total.get());
  }
}
