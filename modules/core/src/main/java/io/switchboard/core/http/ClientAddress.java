package io.switchboard.core.http;

import io.vertx.core.http.HttpServerRequest;
import io.netty.util.NetUtil;
import io.vertx.core.net.SocketAddress;

import java.util.List;

/**
 * Who a request comes from, as this node can trust it. Behind the load balancer every connection comes from the
 * balancer, so for connections from a trusted proxy the client is the rightmost {@code X-Forwarded-For} hop that is
 * not itself a trusted proxy (the hops to its left are whatever the client claimed).
 */
public final class ClientAddress {

  private ClientAddress() {}

  public static String of(HttpServerRequest request, List<String> trustedProxies) {
    SocketAddress remote = request.remoteAddress();
    String peer = remote == null ? "unknown" : remote.hostAddress();
    String forwarded = request.getHeader("X-Forwarded-For");
    if (forwarded == null || !trusted(peer, trustedProxies)) {
      return peer;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !trusted(hop, trustedProxies)) {
        return hop;
      }
    }
    return peer;
  }

  /**
   * Whether {@code address} is one of {@code proxies}: an address, or a range in CIDR notation (10.0.0.0/8, fd00::/8),
   * as a Kubernetes Ingress controller's pods have no fixed address. Literal addresses only: never a DNS lookup.
   */
  static boolean trusted(String address, List<String> proxies) {
    if (proxies.contains(address)) {
      return true;
    }
    byte[] a = null;
    for (String p : proxies) {
      int slash = p.indexOf('/');
      if (slash < 0) {
        continue;
      }
      if (a == null) {
        a = NetUtil.createByteArrayFromIpAddressString(address);
        if (a == null) {
          return false;
        }
      }
      byte[] network = NetUtil.createByteArrayFromIpAddressString(p.substring(0, slash));
      if (network != null && network.length == a.length && samePrefix(a, network, Integer.parseInt(p.substring(slash + 1)))) {
        return true;
      }
    }
    return false;
  }

  /** Checks a configured proxy entry: a literal address or CIDR range; else why not. Null when it is fine. */
  public static String problem(String entry) {
    int slash = entry.indexOf('/');
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(slash < 0 ? entry : entry.substring(0, slash));
    if (ip == null) {
      return "'" + entry + "' is not an IP address or a CIDR range (names are not looked up)";
    }
    if (slash >= 0) {
      String bits = entry.substring(slash + 1);
      if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > ip.length * 8) {
        return "'" + entry + "' has no valid prefix length (0-" + ip.length * 8 + ")";
      }
    }
    return null;
  }

  private static boolean samePrefix(byte[] a, byte[] b, int bits) {
    int whole = bits / 8;
    for (int i = 0; i < whole; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a[whole] & mask) == (b[whole] & mask);
  }
}
