package io.switchboard.core.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;


/**
 * Who a request comes from, as this node can trust it. Behind the load balancer every connection comes from the
 * balancer, so for connections from a trusted proxy the client is the rightmost {@code X-Forwarded-For} hop that is
 * not itself a trusted proxy (the hops to its left are whatever the client claimed).
 */
public final class ClientAddress {

  private ClientAddress() {}

  public static String of(HttpServerRequest request, TrustedProxies trustedProxies) {
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
}
