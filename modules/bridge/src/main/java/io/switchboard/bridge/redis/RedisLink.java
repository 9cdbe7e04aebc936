package io.switchboard.bridge.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * A dedicated Redis connection that comes back. vertx-redis-client 5 does not reconnect on its own, and a connection
 * closed quietly fires only its end handler: both end and exception handlers lead here to a reconnect with backoff
 * (250 ms doubling to 5 s), after which {@code onConnected} sets the connection up again (subscribe, create the
 * consumer group). RESP2, so subscription messages and stream replies are plain arrays.
 */
public final class RedisLink {

  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
  private static final long MAX_BACKOFF_MS = 5_000;

  private final Vertx vertx;
  private final String name;
  private final RedisOptions options;
  private final Function<RedisConnection, Future<Void>> onConnected;
  private RedisConnection connection;
  private boolean up;
  private boolean stopped = true;
  private long backoffMs;
  private long generation;

  public RedisLink(Vertx vertx, String name, String uri, Function<RedisConnection, Future<Void>> onConnected) {
    this.vertx = vertx;
    this.name = name;
    this.options = new RedisOptions().setConnectionString(uri).setPreferredProtocolVersion(ProtocolVersion.RESP2)
        .setMaxWaitingHandlers(100_000);
    this.onConnected = onConnected;
  }

  /** The options of this link's connections, for a pooled client that speaks the same protocol. */
  public static RedisOptions pooledOptions(String uri, int poolSize) {
    return new RedisOptions().setConnectionString(uri).setPreferredProtocolVersion(ProtocolVersion.RESP2)
        .setMaxPoolSize(poolSize).setMaxPoolWaiting(10_000).setMaxWaitingHandlers(100_000);
  }

  public void start() {
    stopped = false;
    connect();
  }

  public void stop() {
    stopped = true;
    generation++;
    up = false;
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  public boolean isUp() {
    return up;
  }

  /** The current connection, or null while reconnecting. */
  public RedisConnection connection() {
    return up ? connection : null;
  }

  /** Drops the connection (it looks dead) and reconnects. */
  public void lost(String why) {
    if (stopped) {
      return;
    }
    long gen = ++generation;
    if (up) {
      LOG.warn("Redis link {} lost ({}); reconnecting", name, why);
    }
    up = false;
    if (connection != null) {
      connection.close();
      connection = null;
    }
    backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(250, backoffMs * 2));
    vertx.setTimer(backoffMs, t -> {
      if (gen == generation && !stopped) {
        connect();
      }
    });
  }

  private void connect() {
    long gen = generation;
    Redis.createClient(vertx, options).connect()
        .compose(conn -> {
          connection = conn;
          conn.endHandler(v -> {
            if (gen == generation) {
              lost("connection closed");
            }
          });
          conn.exceptionHandler(err -> {
            if (gen == generation) {
              lost(err.getMessage());
            }
          });
          return onConnected.apply(conn);
        })
        .onSuccess(v -> {
          if (gen != generation) {
            return;
          }
          up = true;
          if (backoffMs > 0) {
            LOG.info("Redis link {} is back", name);
          }
          backoffMs = 0;
        })
        .onFailure(err -> {
          if (gen == generation) {
            lost(err.getMessage());
          }
        });
  }
}
