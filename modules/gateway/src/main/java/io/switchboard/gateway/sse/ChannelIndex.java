package io.switchboard.gateway.sse;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which local connections listen on which channel. One per event loop, so it needs no locking.
 *
 * <p>Fan-out walks a channel's members once per event, and streams come and go far less often than events: each
 * channel keeps its members as an array too, rebuilt on the first walk after a change. Walking an array touches
 * the connections only, not a hash set's entry nodes; and a walk is never disturbed by a stream that closes
 * meanwhile (it finds itself closed).
 */
final class ChannelIndex {

  private static final SseConnection[] NONE = new SseConnection[0];

  private static final class Members {
    final Set<SseConnection> set = new LinkedHashSet<>();
    SseConnection[] array = NONE;
    boolean stale;
  }

  private final Map<String, Members> byChannel = new HashMap<>();
  private final Set<SseConnection> all = new LinkedHashSet<>();

  void add(SseConnection conn) {
    for (String c : conn.channels()) {
      Members m = byChannel.computeIfAbsent(c, k -> new Members());
      if (m.set.add(conn)) {
        m.stale = true;
      }
    }
    all.add(conn);
  }

  /** Returns false when the connection was not indexed (already removed). */
  boolean remove(SseConnection conn) {
    if (!all.remove(conn)) {
      return false;
    }
    for (String c : conn.channels()) {
      Members m = byChannel.get(c);
      if (m != null && m.set.remove(conn)) {
        m.stale = true;
        if (m.set.isEmpty()) {
          byChannel.remove(c);
        }
      }
    }
    return true;
  }

  /** The channel's connections, in the order they subscribed; the caller must not modify the array. */
  SseConnection[] on(String channel) {
    Members m = byChannel.get(channel);
    if (m == null) {
      return NONE;
    }
    if (m.stale) {
      m.array = m.set.toArray(NONE);
      m.stale = false;
    }
    return m.array;
  }

  Set<SseConnection> all() {
    return all;
  }

  int connectionCount() {
    return all.size();
  }
}
