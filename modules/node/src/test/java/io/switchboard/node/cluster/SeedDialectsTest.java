package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every seed document's page, played by the npm {@code eventsource} package, against a 2-node cluster: the page
 * subscribes on node 1, every change is made through node 2, and each event must have the exact JSON the seed
 * document shows.
 */
class SeedDialectsTest {

  private static TestCluster cluster;
  private static ApiClient api;
  private static String node1;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = TestCluster.start("seed-dialects", 2, Map.of());
    api = new ApiClient(cluster.node(1).url(), cluster.serviceToken);
    node1 = cluster.node(0).url();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void the_shop_public_stream_shows_stock_events_as_the_shop_seed_documents_them() throws Exception {
    CommerceFixture fx = new CommerceFixture(cluster.node(1).url(), null, 20);
    String v = fx.variant;
    try (SeedClient page = SeedClient.open(node1 + "/api/realtime/events?tenant=" + fx.tenant, null,
        "stock_updated", "stock_reserved", "stock_committed", "stock_released")) {
      assertThat(fx.api.post("/api/v1/variants/" + v + "/stock/adjustments", new JsonObject().put("change", 5)).status())
          .isEqualTo(200);
      String o1 = "o-" + UUID.randomUUID();
      fx.order(o1, 2);
      assertThat(fx.api.post("/api/v1/orders/" + o1 + "/payments", new JsonObject().put("status", "paid")).status())
          .isEqualTo(201);
      String o2 = "o-" + UUID.randomUUID();
      fx.order(o2, 3);
      fx.status(o2, "cancelled");

      List<SeedClient.Seen> messages = page.await("message", 6);
      assertThat(messages).hasSize(6);
      JsonShape.assertMatches("{\"type\":\"connected\",\"message\":\"Real-time updates connected\","
          + "\"timestamp\":\"<timestamp>\",\"lastEventId\":\"<any>\"}", messages.get(0).data());
      JsonShape.assertMatches("{\"type\":\"stock_updated\",\"data\":{\"variant_id\":\"" + v + "\","
          + "\"stock_quantity\":25,\"quantity_change\":5,\"type\":\"adjustment\"},\"timestamp\":\"<timestamp>\"}",
          messages.get(1).data());
      JsonShape.assertMatches("{\"type\":\"stock_reserved\",\"data\":{\"variant_id\":\"" + v + "\",\"quantity\":2,"
          + "\"order_id\":\"" + o1 + "\",\"available_stock\":23},\"timestamp\":\"<timestamp>\"}", messages.get(2).data());
      JsonShape.assertMatches("{\"type\":\"stock_committed\",\"data\":{\"variant_id\":\"" + v + "\",\"quantity\":2,"
          + "\"order_id\":\"" + o1 + "\",\"stock_quantity\":23},\"timestamp\":\"<timestamp>\"}", messages.get(3).data());
      JsonShape.assertMatches("{\"type\":\"stock_reserved\",\"data\":{\"variant_id\":\"" + v + "\",\"quantity\":3,"
          + "\"order_id\":\"" + o2 + "\",\"available_stock\":20},\"timestamp\":\"<timestamp>\"}", messages.get(4).data());
      JsonShape.assertMatches("{\"type\":\"stock_released\",\"data\":{\"variant_id\":\"" + v + "\",\"quantity\":3,"
          + "\"order_id\":\"" + o2 + "\",\"available_stock\":23},\"timestamp\":\"<timestamp>\"}", messages.get(5).data());
      // The seed's components that use addEventListener('stock_updated') see the same events.
      assertThat(page.await("stock_updated", 1)).extracting(SeedClient.Seen::data)
          .containsExactly(messages.get(1).data());
      assertThat(page.await("stock_reserved", 2)).extracting(SeedClient.Seen::data)
          .containsExactly(messages.get(2).data(), messages.get(4).data());
      assertThat(page.await("stock_released", 1)).hasSize(1);
      assertIdsIncrease(messages.subList(1, messages.size()));
    }
  }

  @Test
  void every_page_style_of_the_shop_guide_sees_every_event_once() throws Exception {
    CommerceFixture fx = new CommerceFixture(cluster.node(1).url(), "customer-fetch", 20);
    String token = fx.token("customer-fetch", "customer");
    String o = "o-" + UUID.randomUUID();
    // The guide's three ways of reading: EventSource onmessage, EventSource addEventListener('<type>'), and its
    // own fetch + ReadableStream reader that takes every data: line as an event.
    try (SeedClient eventSource = SeedClient.open(node1 + "/api/realtime/events/user", token, "order_created",
        "order_status_updated");
         SeedClient reader = SeedClient.fetchReader(node1 + "/api/realtime/events/user", token);
         SeedClient publicReader = SeedClient.fetchReader(node1 + "/api/realtime/events?tenant=" + fx.tenant, null)) {
      Await.until("the fetch readers are connected", Duration.ofSeconds(10),
          () -> reader.seen().size() == 1 && publicReader.seen().size() == 1);
      fx.order(o, 1);
      fx.status(o, "cancelled");
      List<String> types = List.of("connected", "order_created", "order_status_updated");
      assertThat(eventSource.await("message", 3)).extracting(x -> x.data().getString("type"))
          .containsExactlyElementsOf(types);
      assertThat(eventSource.await("order_created", 1)).hasSize(1);
      assertThat(eventSource.await("order_status_updated", 1)).hasSize(1);
      assertThat(reader.await("message", 3)).extracting(x -> x.data().getString("type"))
          .containsExactlyElementsOf(types);
      assertThat(publicReader.await("message", 3)).extracting(x -> x.data().getString("type"))
          .containsExactly("connected", "stock_reserved", "stock_released");
      Thread.sleep(500); // nothing twice
      assertThat(reader.seen()).hasSize(3);
      assertThat(publicReader.seen()).hasSize(3);
      assertThat(eventSource.seen()).hasSize(5);
    }
  }

  @Test
  void the_meal_apps_status_stream_shows_each_status_change_as_its_page_reads_it() throws Exception {
    CommerceFixture fx = new CommerceFixture(cluster.node(1).url(), "diner-1", 20);
    String o = "o-" + UUID.randomUUID();
    fx.order(o, 1);
    try (SeedClient page = SeedClient.open(node1 + "/api/notifications/orders/" + o + "/status",
        fx.token("diner-1", "customer"))) {
      fx.api.post("/api/v1/orders/" + o + "/payments", new JsonObject().put("status", "paid"));
      fx.status(o, "preparing");
      fx.status(o, "ready");
      fx.status(o, "cancelled");
      List<SeedClient.Seen> m = page.await("message", 4);
      assertThat(m).extracting(x -> x.data().getString("status"))
          .containsExactly("confirmed", "preparing", "ready", "cancelled");
      for (SeedClient.Seen seen : m) {
        JsonShape.assertMatches("{\"orderId\":\"" + o + "\",\"status\":\"<any>\",\"timestamp\":\"<timestamp>\"}",
            seen.data());
        assertThat(seen.lastEventId()).isNotBlank();
      }
      Thread.sleep(300);
      assertThat(page.seen()).as("no frame the page could not read: every one is a status").hasSize(4);
    }
  }

  @Test
  void the_shop_user_stream_shows_the_users_own_order_payment_and_shipment_events() throws Exception {
    CommerceFixture fx = new CommerceFixture(cluster.node(1).url(), "customer-1", 20); // the subject of cluster.customerToken
    CommerceFixture other = new CommerceFixture(cluster.node(1).url(), null, 20);
    try (SeedClient page = SeedClient.open(node1 + "/api/realtime/events/user", fx.token("customer-1", "customer"),
        "order_created", "payment_success", "payment_failed", "order_shipped", "tracking_updated", "order_delivered")) {
      other.order("o-" + UUID.randomUUID(), 1); // someone else's order: never shown
      String o = "o-" + UUID.randomUUID();
      JsonObject created = fx.order(o, 1);
      String number = created.getString("number");
      fx.api.post("/api/v1/orders/" + o + "/payments", new JsonObject().put("status", "failed").put("reason", "Card declined"));
      fx.api.post("/api/v1/orders/" + o + "/payments", new JsonObject().put("status", "paid"));
      fx.status(o, "preparing");
      fx.status(o, "ready");
      assertThat(fx.api.post("/api/v1/orders/" + o + "/shipment", new JsonObject().put("trackingNumber", "TRACK123")
          .put("courierName", "FedEx")).status()).isEqualTo(201);
      assertThat(fx.api.put("/api/v1/orders/" + o + "/shipment", new JsonObject().put("trackingNumber", "TRACK456")
          .put("courierName", "DHL").put("trackingUrl", "https://dhl.example/TRACK456")).status()).isEqualTo(200);
      assertThat(fx.api.post("/api/v1/orders/" + o + "/delivery", null).status()).isEqualTo(200);

      List<SeedClient.Seen> m = page.await("message", 9);
      assertThat(m).extracting(s -> s.data().getString("type")).containsExactly("connected", "order_created",
          "payment_failed", "payment_success", "order_status_updated", "order_status_updated", "order_shipped",
          "tracking_updated", "order_delivered");
      String ids = "\"order_id\":\"" + o + "\",\"order_number\":\"" + number + "\"";
      JsonShape.assertMatches("{\"type\":\"order_created\",\"data\":{" + ids + ",\"status\":\"pending\"},"
          + "\"timestamp\":\"<timestamp>\"}", m.get(1).data());
      JsonShape.assertMatches("{\"type\":\"payment_failed\",\"data\":{" + ids + ",\"payment_status\":\"failed\","
          + "\"reason\":\"Card declined\"},\"timestamp\":\"<timestamp>\"}", m.get(2).data());
      JsonShape.assertMatches("{\"type\":\"payment_success\",\"data\":{" + ids + ",\"payment_status\":\"paid\","
          + "\"status\":\"confirmed\"},\"timestamp\":\"<timestamp>\"}", m.get(3).data());
      JsonShape.assertMatches("{\"type\":\"order_shipped\",\"data\":{" + ids + ",\"status\":\"shipped\","
          + "\"tracking_number\":\"TRACK123\",\"courier_name\":\"FedEx\"},\"timestamp\":\"<timestamp>\"}",
          m.get(6).data());
      JsonShape.assertMatches("{\"type\":\"tracking_updated\",\"data\":{" + ids + ",\"tracking_number\":\"TRACK456\","
          + "\"courier_name\":\"DHL\",\"tracking_url\":\"https://dhl.example/TRACK456\"},"
          + "\"timestamp\":\"<timestamp>\"}", m.get(7).data());
      JsonShape.assertMatches("{\"type\":\"order_delivered\",\"data\":{" + ids + ",\"status\":\"delivered\","
          + "\"delivered_at\":\"<timestamp>\"},\"timestamp\":\"<timestamp>\"}", m.get(8).data());
      assertThat(page.await("order_shipped", 1)).extracting(SeedClient.Seen::data).containsExactly(m.get(6).data());
      assertThat(page.await("payment_success", 1)).hasSize(1);
    }
  }

  @Test
  void the_delivery_order_run_and_driver_streams_speak_the_delivery_seed() throws Exception {
    CommerceFixture fx = new CommerceFixture(cluster.node(1).url(), null, 20);
    String o = "o-" + UUID.randomUUID();
    String run = "r-" + UUID.randomUUID();
    String driver = "d-" + UUID.randomUUID();
    fx.api.created("/api/v1/drivers", new JsonObject().put("id", driver).put("tenantId", fx.tenant).put("name", "Dana"));
    fx.order(o, 1);
    // Streams follow what exists: the run is planned before the pages open.
    JsonObject created = fx.api.created("/api/v1/runs", new JsonObject().put("id", run).put("tenantId", fx.tenant)
        .put("stops", new JsonArray().add(new JsonObject().put("orderId", o).put("address", "1 King St W")
            .put("lat", 43.6487).put("lon", -79.3817))));
    String dispatcher = fx.token("dispatcher-1", "dispatcher");
    // The seed's first option: the token in the query string, as EventSource cannot send headers. The customer
    // watches their own order.
    try (SeedClient orderPage = SeedClient.open(node1 + "/api/v1/realtime/orders/" + o + "/stream?token="
             + fx.token(fx.customer, "customer"), null);
         SeedClient runPage = SeedClient.open(node1 + "/api/v1/realtime/runs/" + run + "/stream", dispatcher);
         SeedClient driverPage = SeedClient.open(node1 + "/api/v1/realtime/drivers/" + driver + "/location",
             dispatcher)) {
      fx.api.post("/api/v1/orders/" + o + "/payments", new JsonObject().put("status", "paid"));
      fx.status(o, "preparing");
      fx.status(o, "ready");
      String stop = created.getJsonArray("stops").getJsonObject(0).getString("id");
      fx.api.post("/api/v1/runs/" + run + "/assign", new JsonObject().put("driverId", driver));
      fx.api.post("/api/v1/runs/" + run + "/start", null);
      assertThat(fx.api.post("/api/v1/events", new JsonObject().put("channels", new JsonArray().add("driver:" + driver))
          .put("type", "driver.location").put("data", new JsonObject().put("driverId", driver).put("latitude", 43.6532)
              .put("longitude", -79.3832).put("heading", 180).put("speed", 45.5))).status()).isEqualTo(202);
      fx.api.post("/api/v1/runs/" + run + "/stops/" + stop + "/complete", null);
      assertThat(fx.api.post("/api/v1/runs/" + run + "/complete", null).status()).isEqualTo(200);

      List<SeedClient.Seen> orders = orderPage.await("message", 6);
      JsonShape.assertMatches("{\"type\":\"connected\",\"orderId\":\"" + o + "\",\"timestamp\":\"<timestamp>\","
          + "\"lastEventId\":\"<any>\"}", orders.get(0).data());
      for (SeedClient.Seen s : orders.subList(1, orders.size())) {
        JsonShape.assertMatches("{\"type\":\"order_update\",\"orderId\":\"" + o + "\",\"data\":\"<any>\"}", s.data());
      }
      // Subscribed after the order was created: from CONFIRMED on.
      assertThat(orders.subList(1, orders.size())).extracting(s -> s.data().getJsonObject("data").getString("status"))
          .containsExactly("CONFIRMED", "PREPARING", "READY", "IN_PROGRESS", "DELIVERED");
      assertThat(orders.get(5).data().getJsonObject("data").getString("actualArrival")).isNotNull();

      List<SeedClient.Seen> runs = runPage.await("message", 5);
      for (SeedClient.Seen s : runs.subList(1, runs.size())) {
        JsonShape.assertMatches("{\"type\":\"run_update\",\"runId\":\"" + run + "\",\"data\":\"<any>\"}", s.data());
      }
      assertThat(runs.subList(1, runs.size())).extracting(s -> {
        JsonObject d = s.data().getJsonObject("data");
        return d.getString("status") + " " + d.getInteger("completedStops") + "/" + d.getInteger("totalStops");
      }).containsExactly("ASSIGNED 0/1", "IN_PROGRESS 0/1", "IN_PROGRESS 1/1", "COMPLETED 1/1");

      List<SeedClient.Seen> positions = driverPage.await("message", 2);
      JsonShape.assertMatches("{\"type\":\"driver_location\",\"driverId\":\"" + driver + "\",\"location\":"
          + "{\"latitude\":43.6532,\"longitude\":-79.3832,\"heading\":180,\"speed\":45.5},"
          + "\"timestamp\":\"<timestamp>\"}", positions.get(1).data());
    }
  }

  @Test
  void the_tenant_stream_and_its_polling_fallback_show_the_same_changes_as_the_florist_seed() throws Exception {
    CommerceFixture fx = new CommerceFixture(cluster.node(1).url(), null, 20);
    String o = "o-" + UUID.randomUUID();
    String start = Instant.now().minusSeconds(1).toString();
    try (SeedClient page = SeedClient.open(node1 + "/api/tenants/" + fx.tenant + "/realtime/orders",
        fx.token("florist-456", "dispatcher"))) {
      ApiClient.Response first = fx.api.get("/api/tenants/" + fx.tenant + "/orders/realtime-status");
      String cursor = first.json().getString("cursor");
      fx.order(o, 1);
      ApiClient.Response put = fx.api.put("/api/tenants/" + fx.tenant + "/orders/" + o,
          new JsonObject().put("assignedTo", "florist-456").put("notes", "Customer requested pink roses"));
      assertThat(put.status()).isEqualTo(200);
      JsonShape.assertMatches("{\"type\":\"order_updated\",\"orderId\":\"" + o + "\",\"timestamp\":\"<timestamp>\","
          + "\"updatedBy\":\"publisher\"}", put.json().getJsonObject("realtime"));
      assertThat(fx.api.delete("/api/v1/orders/" + o).status()).isEqualTo(200);

      List<SeedClient.Seen> m = page.await("message", 4);
      assertThat(m).hasSize(4);
      String[] types = {"order_created", "order_updated", "order_deleted"};
      for (int i = 0; i < 3; i++) {
        JsonShape.assertMatches("{\"type\":\"" + types[i] + "\",\"orderId\":\"" + o + "\","
            + "\"timestamp\":\"<timestamp>\",\"updatedBy\":\"publisher\"}", m.get(i + 1).data());
      }

      // The polling fallback, from the cursor of its first answer and from a time: the same three changes.
      for (String since : List.of(cursor, start)) {
        JsonObject polled = fx.api.get("/api/tenants/" + fx.tenant + "/orders/realtime-status?since=" + since).json();
        JsonArray updates = polled.getJsonArray("updates");
        assertThat(updates).hasSize(3);
        for (int i = 0; i < 3; i++) {
          JsonObject u = updates.getJsonObject(i).copy();
          assertThat(String.valueOf(u.remove("id"))).isEqualTo(m.get(i + 1).lastEventId());
          assertThat(u).isEqualTo(m.get(i + 1).data());
        }
        JsonObject next = fx.api.get("/api/tenants/" + fx.tenant + "/orders/realtime-status?since="
            + polled.getString("cursor")).json();
        assertThat(next.getJsonArray("updates")).isEmpty();
      }
    }
  }

  @Test
  void the_seller_dashboard_gets_new_order_low_stock_and_inventory_updates() throws Exception {
    CommerceFixture fx = new CommerceFixture(cluster.node(1).url(), null, 6); // threshold 5: an order of 2 crosses it
    try (SeedClient page = SeedClient.open(node1 + "/api/v1/realtime/shops/" + fx.shop + "/dashboard",
        fx.serviceToken, "dashboard_update")) {
      String o = "o-" + UUID.randomUUID();
      fx.order(o, 2);
      fx.api.post("/api/v1/orders/" + o + "/payments", new JsonObject().put("status", "paid"));

      List<SeedClient.Seen> updates = page.await("dashboard_update", 3);
      assertThat(updates).hasSize(3);
      String v = fx.variant;
      JsonShape.assertMatches("{\"type\":\"low_stock\",\"data\":{\"productId\":\"" + v + "\","
          + "\"productName\":\"Red roses\",\"currentStock\":4,\"threshold\":5}}", updates.get(0).data());
      JsonShape.assertMatches("{\"type\":\"new_order\",\"data\":{\"orderId\":\"" + o + "\",\"total\":25,"
          + "\"revenue\":25,\"profit\":17,\"items\":[{\"productId\":\"" + v + "\",\"productName\":\"Red roses\","
          + "\"quantity\":2,\"price\":12.5}],\"customerEmail\":\"buyer@example.com\",\"createdAt\":\"<timestamp>\"}}",
          updates.get(1).data());
      JsonShape.assertMatches("{\"type\":\"inventory_update\",\"data\":{\"updates\":[{\"productId\":\"" + v + "\","
          + "\"productName\":\"Red roses\",\"newStock\":4}]}}", updates.get(2).data());
      // onmessage pages see the same (the default sends both forms).
      assertThat(page.await("message", 4)).extracting(SeedClient.Seen::data).contains(updates.get(1).data());
    }
  }

  @Test
  void every_family_resumes_from_last_event_id_on_the_other_node() throws Exception {
    CommerceFixture fx = new CommerceFixture(cluster.node(1).url(), null, 20);
    String o = "o-" + UUID.randomUUID();
    fx.order(o, 1);
    String before;
    try (SeedClient page = SeedClient.open(node1 + "/api/v1/realtime/orders/" + o + "/stream", fx.serviceToken)) {
      fx.status(o, "cancelled");
      before = page.await("message", 2).get(1).lastEventId();
    }
    fx.order("o-" + UUID.randomUUID(), 1); // another order of the tenant, while nobody listens
    fx.api.put("/api/tenants/" + fx.tenant + "/orders/" + o, new JsonObject().put("notes", "missed while away"));
    String node2 = cluster.node(1).url();
    for (String path : List.of("/api/v1/realtime/orders/" + o + "/stream",
        "/api/tenants/" + fx.tenant + "/realtime/orders")) {
      try (SseTestClient resumed = new SseTestClient(List.of(node2), path, fx.serviceToken, before)) {
        int expected = path.contains("/tenants/") ? 2 : 1;
        Await.until("replay on " + path, Duration.ofSeconds(20), () -> resumed.events().size() >= expected);
        Thread.sleep(300); // nothing more may come
        List<SseTestClient.Frame> frames = resumed.events();
        assertThat(frames).hasSize(expected).allSatisfy(f ->
            assertThat(Long.parseLong(f.id())).isGreaterThan(Long.parseLong(before)));
        assertThat(frames.get(expected - 1).json().getString("orderId")).isEqualTo(o);
      }
    }
  }

  @Test
  void stats_count_the_subscribers_of_every_node_for_the_callers_tenant_only() throws Exception {
    CommerceFixture fx = new CommerceFixture(cluster.node(1).url(), null, 20);
    ApiClient own = new ApiClient(cluster.node(0).url(), fx.token("desk", "dispatcher"));
    fx.order("x1-" + fx.tenant, 1);
    fx.order("x2-" + fx.tenant, 1);
    String run = "r9-" + fx.tenant;
    fx.api.created("/api/v1/runs", new JsonObject().put("id", run).put("tenantId", fx.tenant)
        .put("stops", new JsonArray().add(new JsonObject().put("orderId", "x1-" + fx.tenant).put("address", "a")
            .put("lat", 1).put("lon", 1))));
    String node2 = cluster.node(1).url();
    try (SeedClient a = SeedClient.open(node1 + "/api/v1/realtime/orders/x1-" + fx.tenant + "/stream", fx.serviceToken);
         SeedClient b = SeedClient.open(node2 + "/api/v1/realtime/orders/x2-" + fx.tenant + "/stream", fx.serviceToken);
         SeedClient c = SeedClient.open(node2 + "/api/v1/realtime/runs/" + run + "/stream", fx.serviceToken)) {
      Await.until("counts reach every node", Duration.ofSeconds(10), () -> {
        JsonObject s = stats(own);
        return s.getInteger("orders") == 2 && s.getInteger("runs") == 1 && s.getInteger("totalClients") == 3
            && s.getJsonArray("nodes").size() == 2;
      });
      assertThat(stats(own).getInteger("drivers")).isZero();
      assertThat(stats(api).getInteger("totalClients")).as("another tenant sees none of them").isZero();
    }
  }

  private static JsonObject stats(ApiClient client) {
    try {
      return client.get("/api/v1/realtime/stats").json();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertIdsIncrease(List<SeedClient.Seen> seen) {
    long last = -1;
    for (SeedClient.Seen s : seen) {
      long id = Long.parseLong(s.lastEventId());
      assertThat(id).isGreaterThan(last);
      last = id;
    }
  }
}
