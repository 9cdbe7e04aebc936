package io.switchboard.core.http;

import io.netty.util.NetUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The load balancers in front ({@code SB_TRUSTED_PROXIES}): addresses, or ranges in CIDR notation (10.0.0.0/8,
 * fd00::/8), as a Kubernetes Ingress controller's pods have no fixed address. Parsed once, from literal addresses
 * only: never a DNS lookup, and a name is refused at start.
 */
public final class TrustedProxies {

  private record Range(byte[] network, int bits) {
    boolean contains(byte[] a) {
      if (a.length != network.length) {
        return false;
      }
      int whole = bits / 8;
      for (int i = 0; i < whole; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      int mask = (0xff << (8 - rest)) & 0xff;
      return rest == 0 || (a[whole] & mask) == (network[whole] & mask);
    }
  }

  private final Set<String> addresses;
  private final List<Range> ranges;

  private TrustedProxies(Set<String> addresses, List<Range> ranges) {
    this.addresses = addresses;
    this.ranges = ranges;
  }

  /** Throws {@link IllegalArgumentException} naming the first entry that is neither an address nor a range. */
  public static TrustedProxies parse(List<String> entries) {
    List<String> addresses = new ArrayList<>();
    List<Range> ranges = new ArrayList<>();
    for (String entry : entries) {
      int slash = entry.indexOf('/');
      byte[] ip = NetUtil.createByteArrayFromIpAddressString(slash < 0 ? entry : entry.substring(0, slash));
      if (ip == null) {
        throw new IllegalArgumentException("'" + entry + "' is not an IP address or a CIDR range (names are not"
            + " looked up)");
      }
      if (slash < 0) {
        addresses.add(entry);
        continue;
      }
      String bits = entry.substring(slash + 1);
      if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > ip.length * 8) {
        throw new IllegalArgumentException("'" + entry + "' has no valid prefix length (0-" + ip.length * 8 + ")");
      }
      ranges.add(new Range(ip, Integer.parseInt(bits)));
    }
    return new TrustedProxies(Set.copyOf(addresses), List.copyOf(ranges));
  }

  /** Whether {@code address} (as the socket or an X-Forwarded-For hop gives it) is one of them. */
  public boolean contains(String address) {
    if (addresses.contains(address)) {
      return true;
    }
    if (ranges.isEmpty()) {
      return false;
    }
    byte[] a = NetUtil.createByteArrayFromIpAddressString(address);
    if (a == null) {
      return false;
    }
    for (Range r : ranges) {
      if (r.contains(a)) {
        return true;
      }
    }
    return false;
  }
}
