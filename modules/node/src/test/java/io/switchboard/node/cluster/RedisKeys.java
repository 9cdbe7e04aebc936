package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** Cleans up after a test: deletes the Redis keys under its prefix. */
final class RedisKeys {

  private RedisKeys() {}

  static void deleteWithPrefix(String prefix) {
    Vertx vertx = Vertx.vertx();
    try {
      Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:6379");
      String cursor = "0";
      do {
        Response page = Await.result(redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*")
            .arg("COUNT").arg(1000)));
        cursor = page.get(0).toString();
        for (Response key : page.get(1)) {
          Await.result(redis.send(Request.cmd(Command.DEL).arg(key.toString())));
        }
      } while (!"0".equals(cursor));
      redis.close();
    } catch (RuntimeException e) {
      // Redis not running: nothing of ours is there either.
    } finally {
      Await.result(vertx.close());
    }
  }
}
