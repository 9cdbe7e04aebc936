package io.switchboard.core.dialect;

import io.switchboard.core.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events a family's dialect could not render. {@code data} is whatever JSON a producer sent, while a seed family
 * reads the object its canonical type promises; such an event is skipped for that family only. Each (event,
 * family) is counted and logged once per node, however many streams and resumes ask for it again.
 */
public final class RenderFailures {

  private static final Logger LOG = LoggerFactory.getLogger(RenderFailures.class);
  private static final int REMEMBERED = 4096;
  private static final AtomicLong COUNT = new AtomicLong();
  private static final Map<String, Boolean> SEEN = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED;
    }
  };

  private RenderFailures() {}

  /** Distinct (event, family) failures on this node since it started. */
  public static long count() {
    return COUNT.get();
  }

  static void record(Family family, Event event, RuntimeException failure) {
    String key = event.eventId() + "/" + event.seq() + "/" + family;
    synchronized (SEEN) { // rare: only events that fail to render get here
      if (SEEN.put(key, Boolean.TRUE) != null) {
        return;
      }
    }
    COUNT.incrementAndGet();
    LOG.warn("Cannot render event {} ({}, type {}) for family {}: {}; skipped for that family, every other event"
        + " and stream goes on", event.seq(), event.eventId(), event.type(), family, failure.toString());
  }
}
