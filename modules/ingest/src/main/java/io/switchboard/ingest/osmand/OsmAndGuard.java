package io.switchboard.ingest.osmand;

import io.switchboard.core.http.ClientAddress;
import io.switchboard.core.http.TrustedProxies;
import io.switchboard.core.http.ReadDeadlines;
import io.switchboard.core.limits.RateLimit;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What protects the OsmAnd port, shared by its servers on every event loop. On this port the device key is the
 * only credential (as in Traccar), and Traccar Client's default key is a 6-digit number: an address gets
 * {@code unknownPerMinute} "unknown device" answers a minute, then 429 for any key until it has waited. Besides:
 * at most {@code maxConnections} open connections, and read deadlines, so that idle or slow trackers cannot hold
 * the port.
 */
public final class OsmAndGuard {

  private final int maxConnections;
  private final AtomicInteger open = new AtomicInteger();
  private final RateLimit unknown;
  private final ReadDeadlines deadlines;
  private final TrustedProxies trustedProxies;

  public OsmAndGuard(int maxConnections, int unknownPerMinute, ReadDeadlines deadlines, TrustedProxies trustedProxies) {
    this.maxConnections = maxConnections;
    this.unknown = new RateLimit(unknownPerMinute / 60.0, unknownPerMinute);
    this.deadlines = deadlines;
    this.trustedProxies = trustedProxies;
  }

  /** A new connection: counted, and closed at once beyond the bound; watched by the read deadlines. */
  void admit(HttpConnection connection) {
    if (maxConnections > 0 && open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      connection.close();
      return;
    }
    connection.closeHandler(v -> {
      if (maxConnections > 0) {
        open.decrementAndGet();
      }
    });
    deadlines.watch(connection);
  }

  String clientOf(HttpServerRequest request) {
    return ClientAddress.of(request, trustedProxies);
  }

  /** 0 when the address may be answered; else the seconds until it may again. */
  long probing(String client) {
    return unknown.exhausted(client);
  }

  /** The address named a device key that is not registered. */
  void unknownDevice(String client) {
    unknown.take(client);
  }

  /** Drops the counts of addresses that stopped guessing; call periodically. */
  public void forgetIdle() {
    unknown.forgetIdle();
  }
}
