package io.switchboard.ingest.devices;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Which driver (and tenant) a device key or driver id stands for, cached: tens of thousands of positions a second
 * must not cost a query each. A known entry is refreshed in the background and survives a database outage (a
 * failed refresh keeps the old value), so ingest keeps buffering while PostgreSQL is down; an unknown key is
 * remembered only briefly, so a device registered a moment ago works at once.
 */
public final class DriverDirectory {

  /** Announced by the devices API on every change, so every node forgets its cached entry at once. */
  public static final String DEVICE_CHANGED = "switchboard.devices.changed";

  public record DriverRef(String driverId, String tenant) {}

  private static final long KNOWN_TTL_NANOS = Duration.ofMinutes(30).toNanos();
  private static final long UNKNOWN_TTL_NANOS = Duration.ofSeconds(2).toNanos();

  private final Vertx vertx;
  private final AsyncLoadingCache<String, Optional<DriverRef>> devices;
  private final AsyncLoadingCache<String, Optional<DriverRef>> drivers;

  public DriverDirectory(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    // Caffeine refreshes on its own threads; the query must still start on a Vert.x event loop, never on a
    // foreign thread (a pooled connection would be bound to a context nobody runs).
    Context home = vertx.getOrCreateContext();
    this.devices = cache((key, ex) -> load(home, pool,
        "SELECT driver_id, tenant_id FROM devices WHERE device_key = $1", key));
    this.drivers = cache((key, ex) -> load(home, pool, "SELECT id, tenant_id FROM drivers WHERE id = $1", key));
    vertx.eventBus().<String>consumer(DEVICE_CHANGED, msg -> devices.synchronous().invalidate(msg.body()));
  }

  /** The driver a device posts for; empty when the key is not registered. */
  public Future<Optional<DriverRef>> device(String deviceKey) {
    return lookup(devices, deviceKey);
  }

  /** The driver with this id; empty when there is none. */
  public Future<Optional<DriverRef>> driver(String driverId) {
    return lookup(drivers, driverId);
  }

  public void deviceChanged(String deviceKey) {
    vertx.eventBus().publish(DEVICE_CHANGED, deviceKey);
  }

  private Future<Optional<DriverRef>> lookup(AsyncLoadingCache<String, Optional<DriverRef>> cache, String key) {
    CompletableFuture<Optional<DriverRef>> cf = cache.get(key);
    if (cf.isDone() && !cf.isCompletedExceptionally()) {
      return Future.succeededFuture(cf.join()); // the hot path: no hop through another thread
    }
    Context ctx = vertx.getOrCreateContext();
    return Future.fromCompletionStage(cf, ctx);
  }

  private static AsyncLoadingCache<String, Optional<DriverRef>> cache(
      com.github.benmanes.caffeine.cache.AsyncCacheLoader<String, Optional<DriverRef>> loader) {
    return Caffeine.newBuilder()
        .maximumSize(200_000)
        .refreshAfterWrite(Duration.ofSeconds(30))
        .expireAfter(new Expiry<String, Optional<DriverRef>>() {
          @Override
          public long expireAfterCreate(String key, Optional<DriverRef> value, long currentTime) {
            return value.isPresent() ? KNOWN_TTL_NANOS : UNKNOWN_TTL_NANOS;
          }

          @Override
          public long expireAfterUpdate(String key, Optional<DriverRef> value, long currentTime,
                                        long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
          }

          @Override
          public long expireAfterRead(String key, Optional<DriverRef> value, long currentTime,
                                      long currentDuration) {
            return currentDuration;
          }
        })
        .buildAsync(loader);
  }

  private static CompletableFuture<Optional<DriverRef>> load(Context home, Pool pool, String sql, String key) {
    CompletableFuture<Optional<DriverRef>> result = new CompletableFuture<>();
    Context current = Vertx.currentContext();
    Context ctx = current != null && current.isEventLoopContext() ? current : home;
    ctx.runOnContext(v -> pool.preparedQuery(sql).execute(Tuple.of(key))
        .map(rows -> rows.size() == 0 ? Optional.<DriverRef>empty()
            : Optional.of(new DriverRef(rows.iterator().next().getString(0), rows.iterator().next().getString(1))))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            result.complete(ar.result());
          } else {
            result.completeExceptionally(ar.cause());
          }
        }));
    return result;
  }
}
