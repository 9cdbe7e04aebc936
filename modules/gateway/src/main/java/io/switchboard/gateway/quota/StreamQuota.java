package io.switchboard.gateway.quota;

import io.switchboard.core.http.ApiError;
import io.switchboard.gateway.stats.StatsBoard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent streams per user, counted across the cluster. Each node keeps its own counts and publishes them in a
 * cluster map under {@code <user>@<node>} with a time-to-live it keeps refreshing, so the streams of a node that
 * dies stop counting within that time. A new stream sums the user's entries of every live node (the nodes of
 * {@link StatsBoard}). Two streams opened at the same instant on two nodes may both pass: the bound can be
 * exceeded by the number of nodes, never more.
 */
public final class StreamQuota {

  private static final String MAP = "switchboard.user-streams";

  private final Vertx vertx;
  private final String nodeId;
  private final int maxPerUser;
  private final Duration ttl;
  private final StatsBoard board;
  private final Map<String, AtomicInteger> local = new ConcurrentHashMap<>();

  public StreamQuota(Vertx vertx, String nodeId, int maxPerUser, Duration ttl, StatsBoard board) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.maxPerUser = maxPerUser;
    this.ttl = ttl;
    this.board = board;
    if (maxPerUser > 0) {
      vertx.setPeriodic(Math.max(200, ttl.toMillis() / 3), t -> refresh());
    }
  }

  /** Counts a new stream of {@code user}, or fails with 429 when the user has its maximum open already. */
  public Future<Void> acquire(String user) {
    if (maxPerUser <= 0 || user == null) {
      return Future.succeededFuture();
    }
    return board.nodes().compose(nodes -> map().compose(m -> {
      List<Future<Integer>> counts = new ArrayList<>();
      for (String node : nodes) {
        if (!node.equals(nodeId)) {
          counts.add(m.get(user + "@" + node).map(c -> c == null ? 0 : c));
        }
      }
      return Future.all(counts).compose(all -> {
        int elsewhere = 0;
        for (int i = 0; i < all.size(); i++) {
          elsewhere += all.<Integer>resultAt(i);
        }
        int now;
        // The count and its map entry change together (two event loops share this node's counts).
        synchronized (local) {
          AtomicInteger mine = local.computeIfAbsent(user, k -> new AtomicInteger());
          if (elsewhere + mine.get() >= maxPerUser) {
            return Future.failedFuture(new ApiError(429, "too_many_streams",
                "at most " + maxPerUser + " concurrent streams per user; close one first"));
          }
          now = mine.incrementAndGet();
        }
        return m.put(user + "@" + nodeId, now, ttl.toMillis());
      });
    }));
  }

  public void release(String user) {
    if (maxPerUser <= 0 || user == null) {
      return;
    }
    int now;
    synchronized (local) {
      AtomicInteger mine = local.get(user);
      if (mine == null) {
        return;
      }
      now = mine.decrementAndGet();
      if (now <= 0) {
        local.remove(user);
      }
    }
    map().onSuccess(m -> {
      if (now <= 0) {
        m.remove(user + "@" + nodeId);
      } else {
        m.put(user + "@" + nodeId, now, ttl.toMillis());
      }
    });
  }

  private void refresh() {
    map().onSuccess(m -> local.forEach((user, count) -> {
      if (count.get() > 0) {
        m.put(user + "@" + nodeId, count.get(), ttl.toMillis());
      }
    }));
  }

  private Future<AsyncMap<String, Integer>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }
}
