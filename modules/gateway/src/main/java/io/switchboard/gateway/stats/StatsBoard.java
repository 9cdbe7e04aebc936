package io.switchboard.gateway.stats;

import io.switchboard.core.event.IsoTimestamp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Cluster-wide subscriber counts. Each gateway node looks at its counts every {@code REPORT_MS} and writes them
 * to a cluster map when they changed, or when its entry is {@code KEEPALIVE_MS} old, with a time-to-live of three
 * keep-alive periods, so a dead node drops out on its own; any node answers {@code GET /api/v1/realtime/stats} by
 * summing the map. A cluster map rather than a request on the event bus: one answer needs every node, and a
 * request reaches one. Writing only changes matters on an idle or steady node: every write is a Hazelcast
 * operation on the entry's owner and a backup on another member, about a millisecond of CPU in all on these
 * cold paths, and a steady node's counts do not change.
 */
public final class StatsBoard {

  static final String MAP = "switchboard.subscriber-counts";
  static final long REPORT_MS = 1000;
  static final long KEEPALIVE_MS = 5000;

  private final Vertx vertx;

  public StatsBoard(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts reporting this node's counts; returns the timer id. */
  public long report(String nodeId, Supplier<JsonObject> counts) {
    Reporter reporter = new Reporter(nodeId, counts);
    return vertx.setPeriodic(0, REPORT_MS, t -> reporter.tick());
  }

  /** One node's reports: the counts last written, and when. Runs on the timer's context only. */
  private final class Reporter {
    private final String nodeId;
    private final Supplier<JsonObject> counts;
    private JsonObject written;
    private long writtenAt;

    Reporter(String nodeId, Supplier<JsonObject> counts) {
      this.nodeId = nodeId;
      this.counts = counts;
    }

    void tick() {
      JsonObject now = counts.get().put("node", nodeId);
      long at = System.currentTimeMillis();
      if (now.equals(written) && at - writtenAt < KEEPALIVE_MS) {
        return;
      }
      map().compose(m -> m.put(nodeId, now.copy().put("reportedAt", IsoTimestamp.of(at)),
              3 * KEEPALIVE_MS))
          .onSuccess(v -> {
            written = now;
            writtenAt = at;
          })
          .onFailure(err -> { }); // the next period tries again
    }
  }

  /** The ids of the nodes whose report is live. */
  public Future<java.util.Set<String>> nodes() {
    return map().compose(AsyncMap::keys);
  }

  /** The counts of one tenant's subscribers, summed over the live nodes, with each node's share. */
  public Future<JsonObject> clusterCounts(String tenant) {
    return map().compose(AsyncMap::entries).map(byNode -> sum(byNode, tenant));
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  private static JsonObject sum(Map<String, JsonObject> byNode, String tenant) {
    int orders = 0;
    int runs = 0;
    int drivers = 0;
    int total = 0;
    List<JsonObject> reports = new ArrayList<>(byNode.values());
    reports.sort(Comparator.comparing(n -> n.getString("node")));
    JsonArray nodes = new JsonArray();
    for (JsonObject report : reports) {
      JsonObject t = report.getJsonObject("tenants", new JsonObject()).getJsonObject(tenant, new JsonObject());
      orders += t.getInteger("orders", 0);
      runs += t.getInteger("runs", 0);
      drivers += t.getInteger("drivers", 0);
      total += t.getInteger("totalClients", 0);
      nodes.add(SubscriberCounts.of(t.getInteger("orders", 0), t.getInteger("runs", 0), t.getInteger("drivers", 0),
          t.getInteger("totalClients", 0)).put("node", report.getString("node"))
          .put("reportedAt", report.getString("reportedAt")));
    }
    return SubscriberCounts.of(orders, runs, drivers, total).put("nodes", nodes);
  }
}
