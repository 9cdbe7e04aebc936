package io.switchboard.gateway.sse;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Which local connections listen on which channel. One per event loop, so it needs no locking. */
final class ChannelIndex {

  private final Map<String, Set<SseConnection>> byChannel = new HashMap<>();
  private final Set<SseConnection> all = new LinkedHashSet<>();

  void add(SseConnection conn) {
    for (String c : conn.channels()) {
      byChannel.computeIfAbsent(c, k -> new LinkedHashSet<>()).add(conn);
    }
    all.add(conn);
  }

  /** Returns false when the connection was not indexed (already removed). */
  boolean remove(SseConnection conn) {
    if (!all.remove(conn)) {
      return false;
    }
    for (String c : conn.channels()) {
      Set<SseConnection> set = byChannel.get(c);
      if (set != null && set.remove(conn) && set.isEmpty()) {
        byChannel.remove(c);
      }
    }
    return true;
  }

  Set<SseConnection> on(String channel) {
    Set<SseConnection> set = byChannel.get(channel);
    return set == null ? Collections.emptySet() : set;
  }

  Set<SseConnection> all() {
    return all;
  }

  int connectionCount() {
    return all.size();
  }
}
