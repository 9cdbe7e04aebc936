package io.switchboard.node.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The business rules of the commerce API on a real node: no overselling under concurrency, nothing emitted by a
 * change that fails, the status machine, conflict-safe edits, idempotent POSTs, clear errors on bad input.
 */
class CommerceRulesTest {

  private static TestCluster cluster;
  private static ApiClient api;

  @BeforeAll
  static void startNode() throws Exception {
    cluster = TestCluster.start("commerce-rules", 1, Map.of("SB_PG_POOL_SIZE", "8"));
    api = new ApiClient(cluster.node(0).url(), cluster.serviceToken);
  }

  @AfterAll
  static void stopNode() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void fifty_parallel_reservations_for_ten_units_let_exactly_ten_through() throws Exception {
    CommerceFixture fx = new CommerceFixture(cluster.node(0).url(), null, 10);
    List<Callable<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(() -> fx.api.post("/api/v1/variants/" + fx.variant + "/stock/reservations",
          new JsonObject().put("quantity", 1)).status());
    }
    List<Integer> statuses = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
      for (Future<Integer> f : pool.invokeAll(calls)) {
        statuses.add(f.get());
      }
    }
    assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(10);
    assertThat(statuses.stream().filter(s -> s == 409).count()).isEqualTo(40);
    JsonObject variant = fx.api.get("/api/v1/variants/" + fx.variant).json();
    assertThat(variant.getInteger("available")).isZero();
    assertThat(variant.getInteger("reserved")).isEqualTo(10);
    assertThat(count("SELECT count(*) FROM sb_outbox o WHERE type = 'stock.reserved' AND 'variant:" + fx.variant
        + "' = ANY(channels)") + count("SELECT count(*) FROM sb_events WHERE type = 'stock.reserved' AND 'variant:"
        + fx.variant + "' = ANY(channels)")).isEqualTo(10);
  }

  @Test
  void a_change_that_fails_half_way_emits_nothing_and_changes_nothing() throws Exception {
    CommerceFixture fx = new CommerceFixture(cluster.node(0).url(), null, 10);
    JsonObject scarce = fx.api.created("/api/v1/variants", new JsonObject().put("shopId", fx.shop)
        .put("productName", "Scarce").put("price", 1).put("stockQuantity", 1));
    long eventsBefore = allEvents();
    // The first line reserves fine, the second cannot: the whole order rolls back.
    ApiClient.Response r = fx.api.post("/api/v1/orders", new JsonObject().put("shopId", fx.shop)
        .put("customerId", fx.customer).put("items", new JsonArray()
            .add(new JsonObject().put("variantId", fx.variant).put("quantity", 3))
            .add(new JsonObject().put("variantId", scarce.getString("id")).put("quantity", 2))));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().getString("error")).isEqualTo("insufficient_stock");
    Thread.sleep(300);
    assertThat(allEvents()).isEqualTo(eventsBefore);
    assertThat(fx.api.get("/api/v1/variants/" + fx.variant).json().getInteger("available")).isEqualTo(10);
    assertThat(fx.api.get("/api/v1/orders?shopId=" + fx.shop).json().getJsonArray("orders")).isEmpty();
  }

  @Test
  void illegal_transitions_are_409_and_change_nothing() throws Exception {
    CommerceFixture fx = new CommerceFixture(cluster.node(0).url(), null, 10);
    String o = "o-" + UUID.randomUUID();
    fx.order(o, 1);
    ApiClient.Response r = fx.api.patch("/api/v1/orders/" + o, new JsonObject().put("status", "delivered"));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().getString("error")).isEqualTo("illegal_transition");
    assertThat(fx.api.post("/api/v1/orders/" + o + "/shipment", new JsonObject().put("trackingNumber", "T")
        .put("courierName", "C")).status()).isEqualTo(409);
    fx.status(o, "cancelled");
    assertThat(fx.api.patch("/api/v1/orders/" + o, new JsonObject().put("status", "confirmed")).status()).isEqualTo(409);
    JsonObject order = fx.api.get("/api/v1/orders/" + o).json();
    assertThat(order.getString("status")).isEqualTo("cancelled");
    assertThat(order.getInteger("version")).isEqualTo(2);
    assertThat(fx.api.get("/api/v1/variants/" + fx.variant).json().getInteger("available"))
        .as("cancelling released the reservation").isEqualTo(10);
  }

  @Test
  void a_stale_if_match_is_412_so_two_dispatchers_cannot_overwrite_each_other() throws Exception {
    CommerceFixture fx = new CommerceFixture(cluster.node(0).url(), null, 10);
    String o = "o-" + UUID.randomUUID();
    fx.order(o, 1);
    String etag = fx.api.get("/api/v1/orders/" + o).header("ETag");
    assertThat(etag).isEqualTo("\"1\"");
    ApiClient.Response first = fx.api.patch("/api/v1/orders/" + o, new JsonObject().put("notes", "first"),
        "If-Match", etag);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("ETag")).isEqualTo("\"2\"");
    ApiClient.Response second = fx.api.put("/api/tenants/" + fx.tenant + "/orders/" + o,
        new JsonObject().put("notes", "second"), "If-Match", etag);
    assertThat(second.status()).isEqualTo(412);
    assertThat(second.json().getString("error")).isEqualTo("precondition_failed");
    assertThat(fx.api.get("/api/v1/orders/" + o).json().getString("notes")).isEqualTo("first");
    // Another tenant's path does not reach the order at all.
    assertThat(fx.api.put("/api/tenants/someone-else/orders/" + o, new JsonObject().put("notes", "x")).status())
        .isEqualTo(404);
  }

  @Test
  void a_replayed_idempotency_key_has_its_first_effect_only_once() throws Exception {
    CommerceFixture fx = new CommerceFixture(cluster.node(0).url(), null, 10);
    JsonObject body = new JsonObject().put("shopId", fx.shop).put("customerId", fx.customer)
        .put("items", new JsonArray().add(new JsonObject().put("variantId", fx.variant).put("quantity", 2)));
    String key = UUID.randomUUID().toString();
    List<Callable<ApiClient.Response>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(() -> fx.api.post("/api/v1/orders", body, "Idempotency-Key", key));
    }
    List<ApiClient.Response> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(5)) {
      for (Future<ApiClient.Response> f : pool.invokeAll(calls)) {
        answers.add(f.get());
      }
    }
    assertThat(answers).extracting(ApiClient.Response::status).containsOnly(201);
    assertThat(answers).extracting(a -> a.json().getString("id")).containsOnly(answers.get(0).json().getString("id"));
    assertThat(answers).filteredOn(a -> "true".equals(a.header("Idempotent-Replayed"))).hasSize(4);
    assertThat(fx.api.get("/api/v1/orders?shopId=" + fx.shop).json().getJsonArray("orders")).hasSize(1);
    assertThat(fx.api.get("/api/v1/variants/" + fx.variant).json().getInteger("available")).isEqualTo(8);

    ApiClient.Response reused = fx.api.post("/api/v1/orders", body.copy().put("notes", "different"),
        "Idempotency-Key", key);
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.json().getString("error")).isEqualTo("idempotency_key_reused");
  }

  @Test
  void malformed_requests_get_a_json_error_and_change_nothing() throws Exception {
    CommerceFixture fx = new CommerceFixture(cluster.node(0).url(), null, 10);
    long eventsBefore = allEvents();
    record Case(String method, String path, String body, int status, String error) {}
    String o = "/api/v1/orders";
    List<Case> cases = List.of(
        new Case("POST", o, "{not json", 400, "invalid_json"),
        new Case("POST", o, "[1,2]", 400, "invalid_json"),
        new Case("POST", o, "{}", 400, "validation_failed"),
        new Case("POST", o, "{\"shopId\":\"" + fx.shop + "\",\"customerId\":\"" + fx.customer + "\",\"items\":[]}", 400,
            "validation_failed"),
        new Case("POST", o, "{\"shopId\":\"" + fx.shop + "\",\"customerId\":\"" + fx.customer + "\",\"items\":"
            + "[{\"variantId\":\"" + fx.variant + "\",\"quantity\":-1}]}", 400, "validation_failed"),
        new Case("POST", o, "{\"shopId\":\"" + fx.shop + "\",\"customerId\":\"" + fx.customer + "\",\"items\":"
            + "[{\"variantId\":\"" + fx.variant + "\",\"quantity\":\"two\"}]}", 400, "validation_failed"),
        new Case("POST", o, "{\"shopId\":\"no-such-shop\",\"customerId\":\"" + fx.customer + "\",\"items\":"
            + "[{\"variantId\":\"" + fx.variant + "\",\"quantity\":1}]}", 422, "unknown_reference"),
        new Case("POST", o, "{\"shopId\":\"bad id!\",\"customerId\":\"c\",\"items\":[{\"variantId\":\"v\","
            + "\"quantity\":1}]}", 400, "validation_failed"),
        new Case("PATCH", o + "/nope", "{\"status\":\"ready\"}", 404, "not_found"),
        new Case("PATCH", o + "/nope", "{\"status\":\"teleported\"}", 400, "validation_failed"),
        new Case("POST", "/api/v1/variants/" + fx.variant + "/stock/adjustments", "{\"change\":-11}", 409,
            "insufficient_stock"),
        new Case("POST", "/api/v1/variants/" + fx.variant + "/stock/reservations", "{\"quantity\":0}", 400,
            "validation_failed"),
        new Case("POST", "/api/v1/stock/reservations/nope/commit", "", 404, "not_found"),
        new Case("POST", "/api/v1/variants", "{\"shopId\":\"" + fx.shop + "\",\"productName\":\"x\",\"price\":1.234,"
            + "\"stockQuantity\":1}", 400, "validation_failed"),
        new Case("POST", "/api/v1/tenants", "{\"id\":\"" + fx.tenant + "\",\"name\":\"again\"}", 409, "already_exists"),
        new Case("POST", "/api/v1/runs", "{\"tenantId\":\"" + fx.tenant + "\",\"stops\":[{\"orderId\":\"nope\","
            + "\"address\":\"a\",\"lat\":91,\"lon\":0}]}", 400, "validation_failed"),
        new Case("GET", "/api/tenants/" + fx.tenant + "/orders/realtime-status?since=yesterday", null, 400,
            "bad_request"));
    for (Case c : cases) {
      ApiClient.Response r = switch (c.method()) {
        case "POST" -> fx.api.post(c.path(), c.body());
        case "PATCH" -> fx.api.patch(c.path(), c.body());
        default -> fx.api.get(c.path());
      };
      assertThat(r.status()).as(c.method() + " " + c.path() + " " + c.body() + " -> " + r.body())
          .isEqualTo(c.status());
      assertThat(r.json().getString("error")).as(r.body()).isEqualTo(c.error());
      assertThat(r.json().getString("message")).isNotBlank();
    }
    ApiClient.Response noToken = new ApiClient(cluster.node(0).url(), null).post(o, "{}");
    assertThat(noToken.status()).isEqualTo(401);
    Thread.sleep(300);
    assertThat(allEvents()).isEqualTo(eventsBefore);
    assertThat(fx.api.get("/api/v1/variants/" + fx.variant).json().getInteger("stockQuantity")).isEqualTo(10);
  }

  private static long allEvents() throws Exception {
    return count("SELECT (SELECT count(*) FROM sb_outbox) + (SELECT count(*) FROM sb_events)");
  }

  private static long count(String sql) throws Exception {
    try (Connection c = cluster.db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
