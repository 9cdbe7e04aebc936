package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis holds only the latest positions: when it goes away, positions are still taken, stored and streamed, the
 * node stays ready but says DEGRADED, and the queries that need Redis answer 503 until it is back.
 */
class IngestWithoutRedisTest {

  @Test
  void without_redis_positions_still_flow_health_says_degraded_and_fleet_queries_answer_503() throws Exception {
    try (RedisServer redis = new RedisServer(false);
         TestCluster cluster = TestCluster.start("ingest-without-redis", 1, Map.of("SB_REDIS_URI", redis.uri(),
             "SB_BRIDGE_WATCH_INTERVAL", "300ms"))) {
      CommerceFixture fx = new CommerceFixture(cluster.node(0).url(), null, 1);
      String driver = "d-no-redis";
      fx.api.created("/api/v1/drivers", new JsonObject().put("id", driver).put("tenantId", fx.tenant).put("name", "N"));
      ApiClient asDriver = new ApiClient(cluster.node(0).url(), fx.token(driver, "driver"));
      ApiClient dispatcher = new ApiClient(cluster.node(0).url(), fx.token("disp", "dispatcher"));
      Instant t = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      assertThat(asDriver.post("/api/v1/drivers/" + driver + "/location", position(t)).status()).isEqualTo(202);
      Await.until("the position in Redis", Duration.ofSeconds(5),
          () -> count(dispatcher) == 1);

      redis.stop();
      try (SseTestClient stream = new SseTestClient(java.util.List.of(cluster.node(0).url()),
          "/api/v1/realtime/drivers/" + driver + "/location", fx.token("disp", "dispatcher"), null)) {
        Await.until("connected", Duration.ofSeconds(5), () -> !stream.frames.isEmpty());
        assertThat(asDriver.post("/api/v1/drivers/" + driver + "/location", position(t.plusSeconds(10))).status())
            .isEqualTo(202);
        Await.until("the live position, without Redis", Duration.ofSeconds(5), () -> stream.frames.stream()
            .anyMatch(f -> "driver_location".equals(f.type())
                && f.json().getString("timestamp").equals(t.plusSeconds(10).toString())));
      }
      Await.until("health says degraded", Duration.ofSeconds(10), () -> {
        JsonObject h = cluster.node(0).health();
        return h != null && "DEGRADED".equals(h.getString("status"))
            && "DEGRADED".equals(h.getJsonObject("ingest").getString("redis"));
      });
      assertThat(cluster.node(0).ready(1)).isTrue();
      ApiClient.Response positions = dispatcher.get("/api/v1/fleet/positions");
      assertThat(positions.status()).isEqualTo(503);
      assertThat(positions.header("Retry-After")).isNotNull();
      assertThat(positions.json().getString("error")).isEqualTo("unavailable");
      Await.until("both positions in the history", Duration.ofSeconds(5), () -> {
        try {
          return dispatcher.get("/api/v1/drivers/" + driver + "/track?from=" + t.minusSeconds(1)).json()
              .getInteger("count") == 2;
        } catch (Exception e) {
          return false;
        }
      });

      redis.start();
      assertThat(asDriver.post("/api/v1/drivers/" + driver + "/location", position(t.plusSeconds(20))).status())
          .isEqualTo(202);
      Await.until("Redis used again", Duration.ofSeconds(10), () -> count(dispatcher) == 1);
      Await.until("health is up again", Duration.ofSeconds(10), () -> "UP".equals(
          cluster.node(0).health().getString("status")));
    }
  }

  private static JsonObject position(Instant at) {
    return new JsonObject().put("latitude", 48.1).put("longitude", 11.5).put("timestamp", at.toString());
  }

  private static int count(ApiClient dispatcher) {
    try {
      ApiClient.Response r = dispatcher.get("/api/v1/fleet/positions");
      return r.status() == 200 ? r.json().getInteger("count") : -1;
    } catch (Exception e) {
      return -1;
    }
  }
}
