package io.switchboard.node.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may subscribe to what, tested as an attacker would: every role, own and someone else's entity, same and
 * other tenant, against every channel kind. Two tenants, A and B; in A, customer cA has order oA on run rA
 * driven by dA, customer cA2 has order oA2 on no run; B has its own customer, order and driver.
 */
class AccessRulesTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static TestCluster cluster;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start("access-rules", 1, Map.of());
    url = cluster.node(0).url();
    for (String t : List.of("A", "B")) {
      ApiClient admin = new ApiClient(url, TestCluster.token("admin-" + t, "admin", t));
      admin.created("/api/v1/tenants", new JsonObject().put("id", t).put("name", t));
      admin.created("/api/v1/shops", new JsonObject().put("id", "s" + t).put("tenantId", t).put("name", "Shop"));
      admin.created("/api/v1/variants", new JsonObject().put("id", "v" + t).put("shopId", "s" + t)
          .put("productName", "Roses").put("price", 10).put("stockQuantity", 100));
      admin.created("/api/v1/drivers", new JsonObject().put("id", "d" + t).put("tenantId", t).put("name", "D"));
      admin.created("/api/v1/customers", new JsonObject().put("id", "c" + t).put("tenantId", t));
      admin.created("/api/v1/orders", order("o" + t, "c" + t, "s" + t, "v" + t));
    }
    ApiClient adminA = new ApiClient(url, TestCluster.token("admin-A", "admin", "A"));
    adminA.created("/api/v1/drivers", new JsonObject().put("id", "dA2").put("tenantId", "A").put("name", "D2"));
    adminA.created("/api/v1/customers", new JsonObject().put("id", "cA2").put("tenantId", "A"));
    adminA.created("/api/v1/orders", order("oA2", "cA2", "sA", "vA"));
    adminA.created("/api/v1/runs", new JsonObject().put("id", "rA").put("tenantId", "A").put("driverId", "dA")
        .put("stops", new JsonArray().add(new JsonObject().put("orderId", "oA").put("address", "x")
            .put("lat", 1).put("lon", 1))));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static JsonObject order(String id, String customer, String shop, String variant) {
    return new JsonObject().put("id", id).put("customerId", customer).put("shopId", shop)
        .put("items", new JsonArray().add(new JsonObject().put("variantId", variant).put("quantity", 1)));
  }

  @Test
  void every_role_sees_exactly_its_own_channels_and_nothing_crosses_tenants() throws Exception {
    List<String> channels = List.of("user:cA", "order:oA", "order:oA2", "run:rA", "driver:dA", "tenant:A:orders",
        "shop:sA", "variant:vA", "stock:A", "order:oB", "tenant:B:orders", "bench:1", "order:ghost");
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("customer cA", TestCluster.token("cA", "customer", "A"));
    tokens.put("customer cA2", TestCluster.token("cA2", "customer", "A"));
    tokens.put("driver dA", TestCluster.token("dA", "driver", "A"));
    tokens.put("driver dA2", TestCluster.token("dA2", "driver", "A"));
    tokens.put("dispatcher A", TestCluster.token("disp-A", "dispatcher", "A"));
    tokens.put("admin A", TestCluster.token("admin-A", "admin", "A"));
    tokens.put("service A", TestCluster.token("svc-A", "service", "A"));
    tokens.put("dispatcher B", TestCluster.token("disp-B", "dispatcher", "B"));
    tokens.put("customer cA claiming tenant B", TestCluster.token("cA", "customer", "B"));
    tokens.put("unknown role", TestCluster.token("x", "superuser", "A"));
    //                                  user:cA  oA  oA2 rA  dA  t:A  sA  vA  stock oB t:B bench ghost
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("customer cA",                    "1 1 0 1 1 0 0 0 1 0 0 0 0");
    expected.put("customer cA2",                   "0 0 1 0 0 0 0 0 1 0 0 0 0");
    expected.put("driver dA",                      "0 1 0 1 1 0 0 0 1 0 0 0 0");
    expected.put("driver dA2",                     "0 0 0 0 0 0 0 0 1 0 0 0 0");
    expected.put("dispatcher A",                   "1 1 1 1 1 1 1 1 1 0 0 0 0");
    expected.put("admin A",                        "1 1 1 1 1 1 1 1 1 0 0 0 0");
    expected.put("service A",                      "1 1 1 1 1 1 1 1 1 0 0 0 0");
    expected.put("dispatcher B",                   "0 0 0 0 0 0 0 0 1 1 1 0 0");
    expected.put("customer cA claiming tenant B",  "0 0 0 0 0 0 0 0 1 0 0 0 0");
    expected.put("unknown role",                   "0 0 0 0 0 0 0 0 1 0 0 0 0");

    List<String> wrong = new ArrayList<>();
    for (var who : tokens.entrySet()) {
      String[] want = expected.get(who.getKey()).split(" ");
      for (int i = 0; i < channels.size(); i++) {
        int status = streamStatus(channels.get(i), who.getValue());
        int expectedStatus = want[i].equals("1") ? 200 : 403;
        if (status != expectedStatus) {
          wrong.add(who.getKey() + " on " + channels.get(i) + ": " + status + ", expected " + expectedStatus);
        }
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(status("/api/realtime/events?tenant=A", null)).as("the shop's public stream needs no token")
        .isEqualTo(200);
    assertThat(status("/api/realtime/events/user", tokens.get("customer cA"))).isEqualTo(200);
    assertThat(status("/api/v1/realtime/orders/oA2/stream", tokens.get("customer cA"))).isEqualTo(403);
    assertThat(status("/api/tenants/A/realtime/orders", tokens.get("customer cA"))).isEqualTo(403);
    assertThat(status("/api/tenants/A/realtime/orders", tokens.get("dispatcher B"))).isEqualTo(403);
    assertThat(status("/api/v1/realtime/shops/sA/dashboard", tokens.get("dispatcher A"))).isEqualTo(200);
    assertThat(streamStatus("order:oA", null)).isEqualTo(401);
  }

  private static List<String> runIds(ApiClient client, String path) throws Exception {
    ApiClient.Response r = client.get(path);
    assertThat(r.status()).as(path).isEqualTo(200);
    return r.json().getJsonArray("runs").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  @Test
  void a_channels_claim_grants_its_patterns_and_nothing_else() throws Exception {
    String token = TestCluster.token("cA2", "customer", "A",
        new JsonObject().put("channels", new JsonArray().add("tenant:A:promo*")));
    assertThat(streamStatus("tenant:A:promo-1", token)).isEqualTo(200);
    assertThat(streamStatus("tenant:A:orders", token)).isEqualTo(403);
    assertThat(streamStatus("order:oA", token)).isEqualTo(403);
  }

  @Test
  void the_api_scopes_every_call_to_the_tokens_tenant_and_role() throws Exception {
    ApiClient cA = new ApiClient(url, TestCluster.token("cA", "customer", "A"));
    ApiClient dA = new ApiClient(url, TestCluster.token("dA", "driver", "A"));
    ApiClient dispB = new ApiClient(url, TestCluster.token("disp-B", "dispatcher", "B"));
    ApiClient dispA = new ApiClient(url, TestCluster.token("disp-A", "dispatcher", "A"));
    ApiClient svcA = new ApiClient(url, TestCluster.token("svc-A", "service", "A"));

    assertThat(cA.get("/api/v1/orders/oA").status()).isEqualTo(200);
    assertThat(cA.get("/api/v1/orders/oA2").status()).as("another customer's order").isEqualTo(404);
    assertThat(cA.get("/api/v1/orders").json().getJsonArray("orders")).extracting(o -> ((JsonObject) o).getString("id"))
        .containsExactly("oA");
    assertThat(cA.post("/api/v1/orders", order("oX", "cA2", "sA", "vA")).status())
        .as("ordering for someone else").isEqualTo(403);
    assertThat(cA.patch("/api/v1/orders/oA", new JsonObject().put("notes", "x")).status()).isEqualTo(403);
    assertThat(dispB.get("/api/v1/orders/oA").status()).as("another tenant's order").isEqualTo(404);
    assertThat(dispB.patch("/api/v1/orders/oA", new JsonObject().put("notes", "x")).status()).isEqualTo(404);
    assertThat(dispB.get("/api/v1/variants/vA").status()).isEqualTo(404);
    assertThat(dispB.post("/api/v1/variants/vA/stock/adjustments", new JsonObject().put("change", -1)).status())
        .isEqualTo(404);
    assertThat(dispB.get("/api/v1/runs/rA").status()).isEqualTo(404);
    assertThat(dispB.get("/api/tenants/A/orders/realtime-status").status()).isEqualTo(403);
    assertThat(dispA.post("/api/v1/tenants", new JsonObject().put("id", "C").put("name", "C")).status())
        .as("dispatchers do not manage tenant data").isEqualTo(403);
    assertThat(svcA.post("/api/v1/customers", new JsonObject().put("id", "cZ").put("tenantId", "B")).status())
        .isEqualTo(403);
    // The token names the tenant: a body need not repeat it (and may, the same one).
    for (String kind : List.of("customers", "shops", "drivers")) {
      ApiClient.Response created = svcA.post("/api/v1/" + kind, new JsonObject().put("id", "own-" + kind)
          .put("name", "N"));
      assertThat(created.status()).as(kind + " " + created.body()).isEqualTo(201);
      assertThat(created.json().getString("tenantId")).isEqualTo("A");
    }

    assertThat(dA.get("/api/v1/runs/rA").status()).as("the driver's own run").isEqualTo(200);
    assertThat(new ApiClient(url, TestCluster.token("dA2", "driver", "A")).get("/api/v1/runs/rA").status())
        .isEqualTo(404);
    assertThat(cA.get("/api/v1/realtime/stats").status()).isEqualTo(403);
    assertThat(runIds(dispA, "/api/v1/runs?status=active")).containsExactly("rA");
    assertThat(runIds(dispB, "/api/v1/runs")).as("another tenant's runs").isEmpty();
    assertThat(runIds(dA, "/api/v1/runs")).as("a driver lists its own runs").containsExactly("rA");
    assertThat(runIds(new ApiClient(url, TestCluster.token("dA2", "driver", "A")), "/api/v1/runs")).isEmpty();
    assertThat(runIds(dispA, "/api/v1/runs?status=completed")).isEmpty();
    assertThat(cA.get("/api/v1/runs").status()).isEqualTo(403);
    assertThat(dispA.get("/api/v1/runs?status=late").json().getString("error")).isEqualTo("bad_request");
    assertThat(dispA.get("/api/v1/runs?limit=0").status()).isEqualTo(400);

    assertThat(publish(svcA, "tenant:A:news").status()).isEqualTo(202);
    assertThat(publish(svcA, "order:oA").status()).isEqualTo(202);
    assertThat(publish(svcA, "order:oB").status()).as("publishing into another tenant").isEqualTo(403);
    assertThat(publish(svcA, "bench:1").status()).as("a channel outside any tenant").isEqualTo(403);
  }

  @Test
  void every_channel_kind_is_published_only_by_its_own_tenant() throws Exception {
    ApiClient svcA = new ApiClient(url, TestCluster.token("svc-A", "service", "A"));
    ApiClient adminA = new ApiClient(url, TestCluster.token("admin-A", "admin", "A"));
    // stock:{t} is the shop's public stream: anyone may read it, only its own tenant may write into it.
    assertThat(publish(svcA, "stock:A").status()).isEqualTo(202);
    for (String foreign : List.of("stock:B", "stock:B:extra", "user:cB", "order:oB", "driver:dB", "driver:dB:runs",
        "shop:sB", "variant:vB", "tenant:B:news", "fleet:B")) {
      assertThat(publish(svcA, foreign).status()).as("service A into " + foreign).isEqualTo(403);
      assertThat(publish(adminA, foreign).status()).as("admin A into " + foreign).isEqualTo(403);
    }
    // A channels claim lets a token subscribe to its patterns; it never lets it publish into them.
    ApiClient claiming = new ApiClient(url, TestCluster.token("svc-A", "service", "A",
        new JsonObject().put("channels", new JsonArray().add("order:*").add("stock:*"))));
    assertThat(publish(claiming, "order:oB").status()).isEqualTo(403);
    assertThat(publish(claiming, "stock:B").status()).isEqualTo(403);
    assertThat(publish(claiming, "order:oA").status()).isEqualTo(202);
  }

  private static ApiClient.Response publish(ApiClient client, String channel) throws Exception {
    return client.post("/api/v1/events", new JsonObject().put("channels", new JsonArray().add(channel))
        .put("type", "t").put("data", new JsonObject()));
  }

  private static int streamStatus(String channel, String token) throws Exception {
    return status("/api/v1/realtime/stream?channel=" + channel, token);
  }

  private static int status(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path))
        .timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    r.body().close();
    return r.statusCode();
  }
}
