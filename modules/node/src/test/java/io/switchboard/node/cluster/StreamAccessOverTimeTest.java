package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Access is not decided once, when a stream opens: a stream ends, with an {@code access_ended} frame that says
 * why, when its token expires or when the relation that let it in ends; the client then resumes exactly with a
 * fresh token. And a customer following a run sees its own stop, not the other customers' addresses.
 */
class StreamAccessOverTimeTest {

  private static TestCluster cluster;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start("stream-access-over-time", 1, Map.of("SB_JWT_LEEWAY", "0s",
        "SB_STREAM_RECHECK_INTERVAL", "1s"));
    url = cluster.node(0).url();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String shortToken(String subject, String role, String tenant, Duration validFor) {
    return TestCluster.token(subject, role, tenant, new JsonObject(), validFor);
  }

  @Test
  void a_stream_ends_when_its_token_expires_and_resumes_exactly_with_a_fresh_one() throws Exception {
    String stream = url + "/api/v1/realtime/stream?channel=tenant:t1:expiry";
    try (OneStream s = OneStream.open(stream, "Authorization", "Bearer "
        + shortToken("desk", "dispatcher", "t1", Duration.ofSeconds(3)))) {
      assertThat(s.status).isEqualTo(200);
      cluster.publish(cluster.node(0), "tenant:t1:expiry", "tick", new JsonObject().put("n", 1));
      Await.until("the stream ends at the token's exp", Duration.ofSeconds(8), s::ended);
      List<SseTestClient.Frame> ended = s.ofType("access_ended");
      assertThat(ended).hasSize(1);
      assertThat(ended.get(0).json().getString("reason")).isEqualTo("token_expired");
      String lastId = s.ofType("tick").getLast().id();
      assertThat(ended.get(0).json().getLong("lastEventId")).isEqualTo(Long.parseLong(lastId));

      cluster.publish(cluster.node(0), "tenant:t1:expiry", "tick", new JsonObject().put("n", 2));
      try (OneStream again = OneStream.open(stream, "Authorization", "Bearer "
          + TestCluster.token("desk", "dispatcher", "t1"), "Last-Event-ID", lastId)) {
        Await.until("the missed event", Duration.ofSeconds(5), () -> !again.ofType("tick").isEmpty());
        assertThat(again.ofType("tick")).extracting(f -> f.json().getJsonObject("data").getInteger("n"))
            .containsExactly(2);
      }
    }
  }

  @Test
  void a_stream_opened_with_a_ticket_ends_when_the_token_that_bought_the_ticket_expires() throws Exception {
    String token = shortToken("desk-2", "dispatcher", "t1", Duration.ofSeconds(3));
    String ticket = new ApiClient(url, token).post("/api/v1/realtime/tickets", null).json().getString("ticket");
    try (OneStream s = OneStream.open(url + "/api/v1/realtime/stream?channel=tenant:t1:tickets&ticket=" + ticket)) {
      assertThat(s.status).isEqualTo(200);
      Await.until("the stream ends", Duration.ofSeconds(8), s::ended);
      assertThat(s.ofType("access_ended")).extracting(f -> f.json().getString("reason"))
          .containsExactly("token_expired");
    }
  }

  @Test
  void a_customer_loses_the_drivers_position_when_the_delivery_ends_and_sees_only_their_own_stop()
      throws Exception {
    CommerceFixture fx = new CommerceFixture(url, null, 50);
    String otherCustomer = "cust-other-" + UUID.randomUUID().toString().substring(0, 6);
    fx.api.created("/api/v1/customers", new JsonObject().put("id", otherCustomer).put("tenantId", fx.tenant));
    String driver = "drv-" + UUID.randomUUID().toString().substring(0, 6);
    fx.api.created("/api/v1/drivers", new JsonObject().put("id", driver).put("tenantId", fx.tenant).put("name", "D"));
    String mine = "o-" + UUID.randomUUID();
    String theirs = "o-" + UUID.randomUUID();
    fx.order(mine, 1);
    fx.api.created("/api/v1/orders", new JsonObject().put("id", theirs).put("shopId", fx.shop)
        .put("customerId", otherCustomer).put("items", new JsonArray().add(new JsonObject()
            .put("variantId", fx.variant).put("quantity", 1))));
    for (String o : List.of(mine, theirs)) {
      fx.api.post("/api/v1/orders/" + o + "/payments", new JsonObject().put("status", "paid"));
      fx.status(o, "preparing");
      fx.status(o, "ready");
    }
    String run = "r-" + UUID.randomUUID();
    JsonObject created = fx.api.created("/api/v1/runs", new JsonObject().put("id", run).put("tenantId", fx.tenant)
        .put("driverId", driver).put("stops", new JsonArray()
            .add(new JsonObject().put("orderId", mine).put("address", "1 My Street").put("lat", 52.5).put("lon", 13.4))
            .add(new JsonObject().put("orderId", theirs).put("address", "9 Their Road").put("lat", 52.6)
                .put("lon", 13.5))));
    String myStop = created.getJsonArray("stops").getJsonObject(0).getString("id");
    String theirStop = created.getJsonArray("stops").getJsonObject(1).getString("id");

    String customer = fx.token(fx.customer, "customer");
    try (OneStream position = OneStream.open(url + "/api/v1/realtime/drivers/" + driver + "/location",
        "Authorization", "Bearer " + customer);
         OneStream delivery = OneStream.open(url + "/api/v1/realtime/runs/" + run + "/stream",
             "Authorization", "Bearer " + customer);
         OneStream generic = OneStream.open(url + "/api/v1/realtime/stream?channel=run:" + run,
             "Authorization", "Bearer " + customer)) {
      assertThat(List.of(position.status, delivery.status, generic.status)).containsOnly(200);
      assertThat(fx.api.post("/api/v1/runs/" + run + "/start", null).status()).isEqualTo(200);
      Await.until("run_started on both run streams", Duration.ofSeconds(5),
          () -> !delivery.ofType("run_update").isEmpty() && !generic.ofType("run.started").isEmpty());
      JsonArray deliveryStops = delivery.ofType("run_update").get(0).json().getJsonObject("data").getJsonArray("stops");
      assertThat(deliveryStops).hasSize(1);
      assertThat(deliveryStops.getJsonObject(0).getString("id")).isEqualTo(myStop);
      assertThat(delivery.ofType("run_update").get(0).json().getJsonObject("data").getInteger("totalStops"))
          .as("the run's progress stays visible").isEqualTo(2);
      JsonArray genericStops = generic.ofType("run.started").get(0).json().getJsonObject("data")
          .getJsonObject("run").getJsonArray("stops");
      assertThat(genericStops).extracting(o -> ((JsonObject) o).getString("address")).containsExactly("1 My Street");
      assertThat(generic.frames.toString()).doesNotContain("9 Their Road").doesNotContain(theirs);

      // A resume from the run's beginning replays it with my stop only, too.
      try (OneStream replay = OneStream.open(url + "/api/v1/realtime/stream?channel=run:" + run + "&lastEventId=0",
          "Authorization", "Bearer " + customer)) {
        Await.until("the run's events replayed", Duration.ofSeconds(5),
            () -> !replay.ofType("run.created").isEmpty() && !replay.ofType("run.started").isEmpty());
        assertThat(replay.frames.toString()).contains("1 My Street").doesNotContain("9 Their Road")
            .doesNotContain(theirs);
      }

      // Their stop is delivered, then mine, then the run completes: my delivery has ended.
      fx.api.post("/api/v1/runs/" + run + "/stops/" + theirStop + "/complete", null);
      fx.api.post("/api/v1/runs/" + run + "/stops/" + myStop + "/complete", null);
      assertThat(fx.api.post("/api/v1/runs/" + run + "/complete", null).status()).isEqualTo(200);
      Await.until("the driver's position stream ends", Duration.ofSeconds(15), position::ended);
      assertThat(position.ofType("access_ended")).extracting(f -> f.json().getString("reason"))
          .containsExactly("access_revoked");
      assertThat(delivery.frames.toString()).doesNotContain("9 Their Road");
    }
    // And a resume of the run from its beginning replays my stop only.
    try (OneStream replay = OneStream.open(url + "/api/v1/realtime/stream?channel=run:" + run + "&lastEventId=0",
        "Authorization", "Bearer " + customer)) {
      assertThat(replay.status).as("the run is over: no longer the customer's to follow").isEqualTo(403);
    }
  }
}
