package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.switchboard.core.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL goes away in the middle of ingest: the node keeps taking positions up to its buffer bound, then
 * answers 503 with Retry-After; when the database is back every accepted point is written, none lost, none twice.
 */
class IngestBackpressureTest {

  @Test
  void with_the_database_down_ingest_fills_its_bound_then_answers_503_and_loses_nothing() throws Exception {
    try (PgProxy proxy = new PgProxy(TestDatabase.HOST, TestDatabase.PORT);
         TestCluster cluster = TestCluster.start("ingest-backpressure", 1, Map.of(
             "SB_PG_PORT", String.valueOf(proxy.port()),
             "SB_INGEST_BUFFER_POINTS", "500",
             "SB_HISTORY_BATCH_SIZE", "100",
             "SB_PG_RECONNECT_INTERVAL", "200ms"))) {
      CommerceFixture fx = new CommerceFixture(cluster.node(0).url(), null, 1);
      String driver = "d-backpressure";
      fx.api.created("/api/v1/drivers", new JsonObject().put("id", driver).put("tenantId", fx.tenant)
          .put("name", "Dana"));
      ApiClient asDriver = new ApiClient(cluster.node(0).url(), fx.token(driver, "driver"));
      Instant start = Instant.now().minusSeconds(3_000);
      int[] next = {0};
      assertThat(new ApiClient(cluster.node(0).url(), fx.token("disp", "dispatcher")).post("/api/v1/devices",
          new JsonObject().put("deviceId", "tracker-1").put("driverId", driver)).status()).isEqualTo(201);
      int accepted = post(asDriver, driver, start, next, 50).json().getInteger("accepted");
      assertThat(accepted).isEqualTo(50);

      proxy.cut();
      ApiClient.Response refused = null;
      for (int i = 0; i < 40 && refused == null; i++) {
        ApiClient.Response r = post(asDriver, driver, start, next, 50);
        if (r.status() == 200) {
          accepted += r.json().getInteger("accepted");
        } else {
          refused = r;
        }
      }
      assertThat(refused).as("a 503 once the bound is reached").isNotNull();
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.header("Retry-After")).isNotBlank();
      assertThat(refused.json().getString("error")).isEqualTo("overloaded");
      // Up to the bound (500, of which the first 50 may already be written), not beyond.
      assertThat(accepted).isBetween(500, 550);
      // Health says why: the writer's batches fail (it tries every flush interval, backing off).
      Await.until("health shows the history stalled", Duration.ofSeconds(10), () -> {
        JsonObject health = cluster.node(0).health();
        return health != null && health.getJsonObject("ingest").getBoolean("historyStalled");
      });
      // The OsmAnd port answers the same way, as Traccar Client understands: try again later.
      java.net.http.HttpResponse<String> osmand = TestCluster.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + cluster.node(0).osmandPort() + "/?id=tracker-1&lat=50.5&lon=8"
              + "&timestamp=" + start.plusSeconds(10_000).getEpochSecond())).build());
      assertThat(osmand.statusCode()).isEqualTo(503);
      assertThat(osmand.headers().firstValue("Retry-After")).isPresent();

      proxy.restore();
      int expected = accepted;
      Await.until("every accepted point in PostgreSQL", Duration.ofSeconds(30), () -> rows(cluster.db) == expected);
      Thread.sleep(500);
      assertThat(rows(cluster.db)).isEqualTo(expected);
      // And the node takes positions again.
      Await.until("positions accepted again", Duration.ofSeconds(10), () -> {
        try {
          return post(asDriver, driver, start, next, 10).status() == 200;
        } catch (Exception e) {
          return false;
        }
      });
    }
  }

  private static ApiClient.Response post(ApiClient client, String driver, Instant start, int[] next, int n)
      throws Exception {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < n; i++) {
      int k = next[0]++;
      batch.add(new JsonObject().put("latitude", 50 + k * 0.00001).put("longitude", 8.0)
          .put("timestamp", start.plusSeconds(k).toString()));
    }
    return client.post("/api/v1/drivers/" + driver + "/locations", batch);
  }

  private static int rows(TestDatabase db) {
    try (Connection c = db.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM positions")) {
      rs.next();
      return rs.getInt(1);
    } catch (Exception e) {
      return -1;
    }
  }
}
