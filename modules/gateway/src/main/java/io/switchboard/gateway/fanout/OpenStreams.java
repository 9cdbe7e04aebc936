package io.switchboard.gateway.fanout;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.switchboard.core.dialect.Family;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code switchboard_streams{transport, family}}: the node's open subscribers by transport ({@code sse},
 * {@code socketio}, {@code poll}) and endpoint family ({@code core}, {@code shop}, {@code delivery}, ...;
 * {@code socketio} for Socket.IO sockets, whose rooms may mix families). Both label sets are fixed, so the series
 * stay few. Counted where every transport's subscribers enter and leave the fan-out.
 */
public final class OpenStreams {

  public static final String SSE = "sse";
  public static final String SOCKET_IO = "socketio";
  public static final String POLL = "poll";

  private static final Map<String, AtomicInteger> OPEN = new ConcurrentHashMap<>();

  static {
    for (Family f : Family.values()) {
      gauge(SSE, label(f));
    }
    gauge(SOCKET_IO, SOCKET_IO);
    gauge(POLL, label(Family.CORE));
  }

  private OpenStreams() {}

  /** The family label of an SSE or poll subscriber. */
  public static String label(Family family) {
    return family.name().toLowerCase(Locale.ROOT);
  }

  /** Registers the gauges now, so a node without subscribers exports them at 0. */
  public static void registerMeters() {
    // Loading this class registered them.
  }

  static void opened(Subscriber s) {
    gauge(s.transport(), s.family()).incrementAndGet();
  }

  static void closed(Subscriber s) {
    gauge(s.transport(), s.family()).decrementAndGet();
  }

  private static AtomicInteger gauge(String transport, String family) {
    return OPEN.computeIfAbsent(transport + "/" + family, k -> {
      AtomicInteger n = new AtomicInteger();
      Gauge.builder("switchboard.streams", n, AtomicInteger::get).tag("transport", transport).tag("family", family)
          .description("Open subscribers on this node by transport and endpoint family").register(Metrics.globalRegistry);
      return n;
    });
  }
}
