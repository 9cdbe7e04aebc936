package io.switchboard.gateway.quota;

import io.switchboard.core.http.ApiError;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open streams per client address on this node. Behind the load balancer every connection comes from the
 * balancer, so for connections from a trusted proxy the client is the rightmost {@code X-Forwarded-For} hop that
 * is not itself a trusted proxy (the hops to its left are whatever the client claimed).
 */
public final class ConnectionsPerIp {

  private final int max;
  private final List<String> trustedProxies;
  private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

  public ConnectionsPerIp(int max, List<String> trustedProxies) {
    this.max = max;
    this.trustedProxies = trustedProxies;
  }

  /** The client's address as this node trusts it. */
  public String clientOf(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    String peer = remote == null ? "unknown" : remote.hostAddress();
    String forwarded = request.getHeader("X-Forwarded-For");
    if (forwarded == null || !trustedProxies.contains(peer)) {
      return peer;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
        return hop;
      }
    }
    return peer;
  }

  /** Counts a stream of {@code client}, or throws 429 when it has its maximum open on this node. */
  public void acquire(String client) {
    if (max <= 0) {
      return;
    }
    AtomicInteger n = open.computeIfAbsent(client, k -> new AtomicInteger());
    if (n.incrementAndGet() > max) {
      n.decrementAndGet();
      throw new ApiError(429, "too_many_connections",
          "at most " + max + " concurrent streams per client address on a node");
    }
  }

  public void release(String client) {
    if (max <= 0 || client == null) {
      return;
    }
    AtomicInteger n = open.get(client);
    if (n != null && n.decrementAndGet() <= 0) {
      open.remove(client, n);
    }
  }
}
