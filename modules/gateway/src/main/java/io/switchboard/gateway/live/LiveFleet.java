package io.switchboard.gateway.live;

import io.switchboard.core.event.Addresses;
import io.switchboard.core.event.IsoTimestamp;
import io.switchboard.core.position.Fix;
import io.switchboard.core.position.FixBatchCodec;
import io.switchboard.core.position.JsonText;
import io.switchboard.core.position.LatestPositions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where positions are conflated: every node receives every accepted fix of the cluster, keeps the newest per
 * driver, and once per interval hands its event loops one {@link LiveTick} with what moved since the last one.
 * So a driver stream gets at most one update per interval, always the newest, whichever nodes took the fixes;
 * and a fleet stream one batched message per interval however many drivers move.
 */
public final class LiveFleet {

  private final Vertx vertx;
  private final LatestPositions redis;
  private final long intervalMs;
  private final long staleAfterMs;
  private final ConcurrentHashMap<String, Fix> newest = new ConcurrentHashMap<>();
  private final Set<String> moved = new LinkedHashSet<>();
  private final List<LiveListener> listeners = new CopyOnWriteArrayList<>();
  private MessageConsumer<Buffer> consumer;

  public LiveFleet(Vertx vertx, LatestPositions redis, long intervalMs, long staleAfterMs) {
    this.vertx = vertx;
    this.redis = redis;
    this.intervalMs = intervalMs;
    this.staleAfterMs = staleAfterMs;
  }

  public void addListener(LiveListener l) {
    listeners.add(l);
  }

  /** Starts on the calling context (the feed verticle's). */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.LIVE_POSITIONS, msg -> {
      for (Fix f : FixBatchCodec.decode(msg.body())) {
        if (f.live() && offer(f)) {
          moved.add(f.driverId());
        }
      }
    });
    vertx.setPeriodic(intervalMs, t -> tick());
    vertx.setPeriodic(60_000, t -> {
      long cutoff = System.currentTimeMillis() - staleAfterMs;
      newest.values().removeIf(f -> f.fixedAtMillis() < cutoff);
    });
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private boolean offer(Fix f) {
    Fix[] changed = {null};
    newest.compute(f.driverId(), (k, old) -> {
      if (old == null || f.fixedAtMillis() > old.fixedAtMillis()) {
        changed[0] = f;
        return f;
      }
      return old;
    });
    return changed[0] != null;
  }

  private void tick() {
    if (moved.isEmpty()) {
      return;
    }
    Map<String, LiveFrame> drivers = new HashMap<>(moved.size() * 2);
    Map<String, List<Fix>> byTenant = new HashMap<>();
    for (String id : moved) {
      Fix f = newest.get(id);
      if (f == null) {
        continue;
      }
      drivers.put(id, driverFrame(f));
      byTenant.computeIfAbsent(f.tenant(), t -> new ArrayList<>()).add(f);
    }
    moved.clear();
    String at = Instant.now().toString();
    Map<String, LiveFrame> fleets = new HashMap<>(byTenant.size() * 2);
    byTenant.forEach((tenant, list) -> fleets.put(tenant, fleetFrame("fleet_update", tenant, list, at)));
    LiveTick tick = new LiveTick(drivers, fleets);
    for (LiveListener l : listeners) {
      l.context().runOnContext(v -> l.onTick(tick));
    }
  }

  /** The delivery seed's {@code driver_location} event. */
  public static LiveFrame driverFrame(Fix f) {
    JsonObject json = new JsonObject().put("type", "driver_location").put("driverId", f.driverId())
        .put("location", f.locationJson()).put("timestamp", IsoTimestamp.of(f.fixedAtMillis()));
    return new LiveFrame("driver_location", json.encode());
  }

  /** Written as text: thousands of drivers a frame, once a second (see {@link Fix#appendFleetJson}). */
  static LiveFrame fleetFrame(String type, String tenant, List<Fix> drivers, String at) {
    StringBuilder sb = new StringBuilder(64 + drivers.size() * 160);
    sb.append("{\"type\":\"").append(type).append("\",\"tenantId\":");
    JsonText.appendString(sb, tenant).append(",\"count\":").append(drivers.size()).append(",\"drivers\":[");
    for (int i = 0; i < drivers.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      drivers.get(i).appendFleetJson(sb);
    }
    sb.append("],\"at\":\"").append(at).append("\"}");
    return new LiveFrame(type, sb.toString());
  }

  /** The driver's newest position: this node's if it has one, else Redis's (a node that just started). */
  public Future<Fix> latest(String tenant, String driverId) {
    Fix f = newest.get(driverId);
    if (f != null && f.tenant().equals(tenant)) {
      return Future.succeededFuture(f);
    }
    return redis.latest(tenant, driverId).otherwise((Fix) null);
  }

  /** Every live driver of the tenant, newest of this node's view and Redis's, as a {@code fleet_snapshot}. */
  public Future<LiveFrame> snapshot(String tenant) {
    return redis.all(tenant).otherwise(List.of()).map(stored -> {
      Map<String, Fix> merged = new HashMap<>();
      for (Fix f : stored) {
        merged.put(f.driverId(), f);
      }
      long cutoff = System.currentTimeMillis() - staleAfterMs;
      for (Fix f : newest.values()) {
        if (f.tenant().equals(tenant) && f.fixedAtMillis() >= cutoff) {
          merged.merge(f.driverId(), f, (a, b) -> a.fixedAtMillis() >= b.fixedAtMillis() ? a : b);
        }
      }
      List<Fix> sorted = new ArrayList<>(merged.values());
      sorted.sort((a, b) -> a.driverId().compareTo(b.driverId()));
      return fleetFrame("fleet_snapshot", tenant, sorted, Instant.now().toString());
    });
  }
}
