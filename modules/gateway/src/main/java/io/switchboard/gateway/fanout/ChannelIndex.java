package io.switchboard.gateway.fanout;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which local subscribers listen on which channel. One per event loop, so it needs no locking.
 *
 * <p>Fan-out walks a channel's members once per event, and subscribers come and go far less often than events: each
 * channel keeps its members as an array too, rebuilt on the first walk after a change. Walking an array touches
 * the subscribers only, not a hash set's entry nodes; and a walk is never disturbed by a subscriber that closes
 * meanwhile (it finds itself closed). A Socket.IO socket joins and leaves channels (rooms) while it lives.
 */
final class ChannelIndex {

  private static final Subscriber[] NONE = new Subscriber[0];

  private static final class Members {
    final Set<Subscriber> set = new LinkedHashSet<>();
    Subscriber[] array = NONE;
    boolean stale;
  }

  private final Map<String, Members> byChannel = new HashMap<>();
  private final Set<Subscriber> all = new LinkedHashSet<>();

  void add(Subscriber s) {
    if (all.add(s)) {
      for (String c : s.channels()) {
        join(s, c);
      }
    }
  }

  void join(Subscriber s, String channel) {
    Members m = byChannel.computeIfAbsent(channel, k -> new Members());
    if (m.set.add(s)) {
      m.stale = true;
    }
  }

  void leave(Subscriber s, String channel) {
    Members m = byChannel.get(channel);
    if (m != null && m.set.remove(s)) {
      m.stale = true;
      if (m.set.isEmpty()) {
        byChannel.remove(channel);
      }
    }
  }

  /** Returns false when the subscriber was not indexed (already removed). */
  boolean remove(Subscriber s) {
    if (!all.remove(s)) {
      return false;
    }
    for (String c : s.channels()) {
      leave(s, c);
    }
    return true;
  }

  /** The channel's subscribers, in the order they joined; the caller must not modify the array. */
  Subscriber[] on(String channel) {
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

  Set<Subscriber> all() {
    return all;
  }

  int count() {
    return all.size();
  }
}
