package io.switchboard.core.position;

import io.switchboard.core.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest position of every driver, in Redis: per tenant a GEO set (for "who is near"), a hash of the
 * position JSON, and a sorted set of fix times (for ageing out drivers that went quiet). Written in one pipelined
 * batch per publish window, read by the fleet API and by streams that need the latest position on connect.
 */
public final class LatestPositions {

  /** A driver within a radius, nearest first. */
  public record Nearby(Fix fix, double distanceM) {}

  private final Redis redis;
  private final String prefix;
  private final long staleAfterMs;

  public LatestPositions(Vertx vertx, SwitchboardConfig.Redis config, long staleAfterMs) {
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.uri())
        .setMaxPoolSize(config.poolSize()).setMaxPoolWaiting(10_000).setMaxWaitingHandlers(100_000));
    this.prefix = config.keyPrefix();
    this.staleAfterMs = staleAfterMs;
  }

  private String geo(String tenant) {
    return prefix + "fleet:" + tenant + ":geo";
  }

  private String pos(String tenant) {
    return prefix + "fleet:" + tenant + ":pos";
  }

  private String seen(String tenant) {
    return prefix + "fleet:" + tenant + ":seen";
  }

  private String tenants() {
    return prefix + "fleet:tenants";
  }

  /** Stores the newest fix of each driver among {@code fixes}. */
  public Future<Void> store(List<Fix> fixes) {
    Map<String, Fix> newest = new LinkedHashMap<>();
    for (Fix f : fixes) {
      Fix seenFix = newest.get(f.driverId());
      if (f.live() && (seenFix == null || f.fixedAtMillis() > seenFix.fixedAtMillis())) {
        newest.put(f.driverId(), f);
      }
    }
    if (newest.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<String, List<Fix>> byTenant = new HashMap<>();
    for (Fix f : newest.values()) {
      byTenant.computeIfAbsent(f.tenant(), t -> new ArrayList<>()).add(f);
    }
    List<Request> batch = new ArrayList<>();
    for (var entry : byTenant.entrySet()) {
      String t = entry.getKey();
      Request geoAdd = Request.cmd(Command.GEOADD).arg(geo(t));
      Request hset = Request.cmd(Command.HSET).arg(pos(t));
      Request zadd = Request.cmd(Command.ZADD).arg(seen(t));
      for (Fix f : entry.getValue()) {
        geoAdd.arg(f.lon()).arg(f.lat()).arg(f.driverId());
        StringBuilder json = new StringBuilder(160);
        f.appendFleetJson(json);
        hset.arg(f.driverId()).arg(json.toString());
        zadd.arg(f.fixedAtMillis()).arg(f.driverId());
      }
      batch.add(geoAdd);
      batch.add(hset);
      batch.add(zadd);
      batch.add(Request.cmd(Command.SADD).arg(tenants()).arg(t));
    }
    return redis.batch(batch).mapEmpty();
  }

  /** Every driver of the tenant seen within the stale limit. */
  public Future<List<Fix>> all(String tenant) {
    return redis.send(Request.cmd(Command.HVALS).arg(pos(tenant))).map(values -> {
      List<Fix> out = new ArrayList<>();
      long cutoff = System.currentTimeMillis() - staleAfterMs;
      if (values != null) {
        for (Response v : values) {
          Fix f = Fix.fromFleetJson(tenant, new JsonObject(v.toString()));
          if (f.fixedAtMillis() >= cutoff) {
            out.add(f);
          }
        }
      }
      return out;
    });
  }

  /** The driver's latest fix, or null (unknown or stale). */
  public Future<Fix> latest(String tenant, String driverId) {
    return redis.send(Request.cmd(Command.HGET).arg(pos(tenant)).arg(driverId)).map(v -> {
      if (v == null) {
        return null;
      }
      Fix f = Fix.fromFleetJson(tenant, new JsonObject(v.toString()));
      return f.fixedAtMillis() >= System.currentTimeMillis() - staleAfterMs ? f : null;
    });
  }

  /** Drivers within {@code radiusM} of a point, nearest first. */
  public Future<List<Nearby>> nearby(String tenant, double lat, double lon, double radiusM, int limit) {
    Request search = Request.cmd(Command.GEOSEARCH).arg(geo(tenant)).arg("FROMLONLAT").arg(lon).arg(lat)
        .arg("BYRADIUS").arg(radiusM).arg("m").arg("ASC").arg("COUNT").arg(limit).arg("WITHDIST");
    return redis.send(search).compose(found -> {
      if (found == null || found.size() == 0) {
        return Future.succeededFuture(List.<Nearby>of());
      }
      Request hmget = Request.cmd(Command.HMGET).arg(pos(tenant));
      List<Double> distances = new ArrayList<>();
      for (Response r : found) {
        hmget.arg(r.get(0).toString());
        distances.add(r.get(1).toDouble());
      }
      return redis.send(hmget).map(values -> {
        List<Nearby> out = new ArrayList<>();
        long cutoff = System.currentTimeMillis() - staleAfterMs;
        for (int i = 0; i < values.size(); i++) {
          Response v = values.get(i);
          if (v == null) {
            continue;
          }
          Fix f = Fix.fromFleetJson(tenant, new JsonObject(v.toString()));
          if (f.fixedAtMillis() >= cutoff) {
            out.add(new Nearby(f, distances.get(i)));
          }
        }
        return out;
      });
    });
  }

  /** Removes drivers whose newest fix is older than the stale limit, in every tenant. */
  public Future<Integer> expireStale() {
    long cutoff = System.currentTimeMillis() - staleAfterMs;
    return redis.send(Request.cmd(Command.SMEMBERS).arg(tenants())).compose(members -> {
      List<Future<Integer>> each = new ArrayList<>();
      if (members != null) {
        for (Response m : members) {
          each.add(expireStale(m.toString(), cutoff));
        }
      }
      return Future.all(each).map(all -> each.stream().mapToInt(Future::result).sum());
    });
  }

  private Future<Integer> expireStale(String tenant, long cutoff) {
    return redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(seen(tenant)).arg("-inf").arg(cutoff))
        .compose(stale -> {
          if (stale == null || stale.size() == 0) {
            return Future.succeededFuture(0);
          }
          Request zrem = Request.cmd(Command.ZREM).arg(seen(tenant));
          Request georem = Request.cmd(Command.ZREM).arg(geo(tenant));
          Request hdel = Request.cmd(Command.HDEL).arg(pos(tenant));
          for (Response r : stale) {
            zrem.arg(r.toString());
            georem.arg(r.toString());
            hdel.arg(r.toString());
          }
          return redis.batch(List.of(zrem, georem, hdel)).map(stale.size());
        });
  }

  public Future<Void> close() {
    redis.close();
    return Future.succeededFuture();
  }
}
