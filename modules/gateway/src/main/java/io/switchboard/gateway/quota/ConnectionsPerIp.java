package io.switchboard.gateway.quota;

import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.ClientAddress;
import io.switchboard.core.http.TrustedProxies;
import io.vertx.core.http.HttpServerRequest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Open streams per client address on this node (the address as {@link ClientAddress} trusts it). */
public final class ConnectionsPerIp {

  private final int max;
  private final TrustedProxies trustedProxies;
  private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

  public ConnectionsPerIp(int max, TrustedProxies trustedProxies) {
    this.max = max;
    this.trustedProxies = trustedProxies;
  }

  /** The client's address as this node trusts it. */
  public String clientOf(HttpServerRequest request) {
    return ClientAddress.of(request, trustedProxies);
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
