package io.switchboard.gateway.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The most recent events of the node, contiguous by sequence, in a fixed-size ring: resume points within it are
 * served from memory. Touched only on the feed's event loop.
 */
final class EventRing {

  private final EncodedEvent[] slots;
  private long newest;      // seq of the newest event held
  private int size;

  EventRing(int capacity, long startAfter) {
    this.slots = new EncodedEvent[Math.max(1, capacity)];
    this.newest = startAfter;
  }

  void reset(long startAfter) {
    java.util.Arrays.fill(slots, null);
    size = 0;
    newest = startAfter;
  }

  void add(EncodedEvent e) {
    if (e.seq() != newest + 1) {
      reset(e.seq() - 1);
    }
    slots[(int) (e.seq() % slots.length)] = e;
    newest = e.seq();
    size = Math.min(size + 1, slots.length);
  }

  /** True when every event after {@code afterSeq} up to the newest is held. */
  boolean covers(long afterSeq) {
    return afterSeq >= newest - size;
  }

  /** Events with seq in (afterSeq, newest] on any of {@code channels}; call only when {@link #covers}. */
  List<EncodedEvent> since(long afterSeq, Set<String> channels) {
    List<EncodedEvent> out = new ArrayList<>();
    for (long s = afterSeq + 1; s <= newest; s++) {
      EncodedEvent e = slots[(int) (s % slots.length)];
      for (String c : e.channels()) {
        if (channels.contains(c)) {
          out.add(e);
          break;
        }
      }
    }
    return out;
  }
}
