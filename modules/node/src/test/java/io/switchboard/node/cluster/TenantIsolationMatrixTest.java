package io.switchboard.node.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenant A's tokens of every role against tenant B's objects: every REST resource read and written, every stream
 * family and channel kind subscribed to and published on, B's ids inside A's request bodies. Each request is sent
 * twice, once with B's id and once with an id that exists nowhere: the answers must be the same (status, error,
 * message with the id masked), so that nothing tells A what B has. And B's rows and event log are unchanged.
 */
class TenantIsolationMatrixTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static TestCluster cluster;
  private static String url;
  /** B's objects, by name. */
  private static final Map<String, String> B = new LinkedHashMap<>();
  private static String stopB;
  private static String reservationB;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start("tenant-isolation", 1, Map.of("SB_OSMAND_UNKNOWN_PER_MINUTE", "0"));
    url = cluster.node(0).url();
    for (String t : List.of("A", "B")) {
      admin(t).created("/api/v1/tenants", new JsonObject().put("id", "T" + t).put("name", t));
    }
    setUp("A");
    setUp("B");
    ApiClient adminB = admin("B");
    JsonObject run = adminB.created("/api/v1/runs", new JsonObject().put("id", "runB").put("tenantId", "TB")
        .put("driverId", "drvB").put("stops", new JsonArray().add(new JsonObject().put("orderId", "ordB")
            .put("address", "B street 1").put("lat", 52.5).put("lon", 13.4))));
    stopB = run.getJsonArray("stops").getJsonObject(0).getString("id");
    reservationB = adminB.created("/api/v1/variants/varB/stock/reservations", new JsonObject().put("quantity", 1))
        .getString("reservationId");
    adminB.created("/api/v1/devices", new JsonObject().put("deviceId", "devB").put("driverId", "drvB"));
    adminB.post("/api/v1/drivers/drvB/location", new JsonObject().put("latitude", 52.5).put("longitude", 13.4)
        .put("timestamp", Instant.now().toString()));
    io.switchboard.core.testing.Await.until("B's position in the history", Duration.ofSeconds(10), () -> {
      try {
        return count("SELECT count(*) FROM positions WHERE driver_id = 'drvB'") == 1;
      } catch (Exception e) {
        return false;
      }
    });
    B.putAll(Map.of("tenant", "TB", "shop", "shopB", "customer", "custB", "variant", "varB", "driver", "drvB",
        "order", "ordB", "run", "runB", "device", "devB", "stop", stopB, "reservation", reservationB));
  }

  private static ApiClient admin(String t) {
    return new ApiClient(url, TestCluster.token("admin-" + t, "admin", "T" + t));
  }

  private static void setUp(String t) throws Exception {
    ApiClient admin = admin(t);
    String tenant = "T" + t;
    admin.created("/api/v1/shops", new JsonObject().put("id", "shop" + t).put("tenantId", tenant).put("name", "S"));
    admin.created("/api/v1/customers", new JsonObject().put("id", "cust" + t).put("tenantId", tenant));
    admin.created("/api/v1/drivers", new JsonObject().put("id", "drv" + t).put("tenantId", tenant).put("name", "D"));
    admin.created("/api/v1/variants", new JsonObject().put("id", "var" + t).put("shopId", "shop" + t)
        .put("productName", "Roses").put("price", 10).put("stockQuantity", 100));
    admin.created("/api/v1/orders", new JsonObject().put("id", "ord" + t).put("shopId", "shop" + t)
        .put("customerId", "cust" + t).put("items", new JsonArray().add(new JsonObject().put("variantId", "var" + t)
            .put("quantity", 1))));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** One request naming B's object {@code id} (written {@code <B>} in its path, query and body). */
  private record Probe(String method, String path, String body, String id) {}

  private static List<Probe> probes() {
    List<Probe> p = new ArrayList<>();
    String shop = B.get("shop");
    String customer = B.get("customer");
    String variant = B.get("variant");
    String driver = B.get("driver");
    String order = B.get("order");
    String run = B.get("run");
    String tenant = B.get("tenant");
    // Reads.
    p.add(new Probe("GET", "/api/v1/tenants/<B>", null, tenant));
    p.add(new Probe("GET", "/api/v1/customers/<B>", null, customer));
    p.add(new Probe("GET", "/api/v1/shops/<B>", null, shop));
    p.add(new Probe("GET", "/api/v1/variants/<B>", null, variant));
    p.add(new Probe("GET", "/api/v1/drivers/<B>", null, driver));
    p.add(new Probe("GET", "/api/v1/orders/<B>", null, order));
    p.add(new Probe("GET", "/api/v1/orders?shopId=<B>", null, shop));
    p.add(new Probe("GET", "/api/v1/orders?customerId=<B>", null, customer));
    p.add(new Probe("GET", "/api/v1/orders?tenantId=<B>", null, tenant));
    p.add(new Probe("GET", "/api/v1/runs/<B>", null, run));
    p.add(new Probe("GET", "/api/v1/runs?driverId=<B>", null, driver));
    p.add(new Probe("GET", "/api/tenants/<B>/orders/realtime-status", null, tenant));
    p.add(new Probe("GET", "/api/v1/drivers/<B>/track", null, driver));
    p.add(new Probe("GET", "/api/v1/devices?driverId=<B>", null, driver));
    // Writes on B's objects.
    p.add(new Probe("PATCH", "/api/v1/orders/<B>", "{\"notes\":\"x\"}", order));
    p.add(new Probe("PATCH", "/api/v1/orders/<B>", "{\"status\":\"cancelled\"}", order));
    p.add(new Probe("DELETE", "/api/v1/orders/<B>", null, order));
    p.add(new Probe("POST", "/api/v1/orders/<B>/payments", "{\"status\":\"paid\"}", order));
    p.add(new Probe("POST", "/api/v1/orders/<B>/shipment", "{\"trackingNumber\":\"T\",\"courierName\":\"C\"}", order));
    p.add(new Probe("PUT", "/api/v1/orders/<B>/shipment", "{\"trackingNumber\":\"T\"}", order));
    p.add(new Probe("POST", "/api/v1/orders/<B>/delivery", "{}", order));
    p.add(new Probe("PUT", "/api/tenants/TA/orders/<B>", "{\"notes\":\"x\"}", order));
    p.add(new Probe("PUT", "/api/tenants/<B>/orders/ordB", "{\"notes\":\"x\"}", tenant));
    p.add(new Probe("POST", "/api/v1/variants/<B>/stock/adjustments", "{\"change\":-1}", variant));
    p.add(new Probe("POST", "/api/v1/variants/<B>/stock/reservations", "{\"quantity\":1}", variant));
    p.add(new Probe("POST", "/api/v1/stock/reservations/<B>/commit", null, reservationB));
    p.add(new Probe("POST", "/api/v1/stock/reservations/<B>/release", null, reservationB));
    p.add(new Probe("POST", "/api/v1/runs/<B>/assign", "{\"driverId\":\"drvA\"}", run));
    p.add(new Probe("POST", "/api/v1/runs/<B>/start", null, run));
    p.add(new Probe("POST", "/api/v1/runs/runB/stops/<B>/complete", null, stopB));
    p.add(new Probe("POST", "/api/v1/runs/<B>/complete", null, run));
    p.add(new Probe("POST", "/api/v1/drivers/<B>/location", "{\"latitude\":52.6,\"longitude\":13.5}", driver));
    p.add(new Probe("POST", "/api/v1/drivers/<B>/locations", "[{\"latitude\":52.6,\"longitude\":13.5}]", driver));
    p.add(new Probe("DELETE", "/api/v1/devices/<B>", null, B.get("device")));
    // B's ids inside A's bodies.
    p.add(new Probe("POST", "/api/v1/customers", "{\"tenantId\":\"<B>\"}", tenant));
    p.add(new Probe("POST", "/api/v1/shops", "{\"tenantId\":\"<B>\",\"name\":\"S\"}", tenant));
    p.add(new Probe("POST", "/api/v1/drivers", "{\"tenantId\":\"<B>\",\"name\":\"D\"}", tenant));
    p.add(new Probe("POST", "/api/v1/variants", "{\"shopId\":\"<B>\",\"productName\":\"P\",\"price\":1,"
        + "\"stockQuantity\":1}", shop));
    p.add(new Probe("POST", "/api/v1/orders", "{\"shopId\":\"<B>\",\"customerId\":\"custA\",\"items\":"
        + "[{\"variantId\":\"varA\",\"quantity\":1}]}", shop));
    p.add(new Probe("POST", "/api/v1/orders", "{\"shopId\":\"shopA\",\"customerId\":\"<B>\",\"items\":"
        + "[{\"variantId\":\"varA\",\"quantity\":1}]}", customer));
    p.add(new Probe("POST", "/api/v1/orders", "{\"shopId\":\"shopA\",\"customerId\":\"custA\",\"items\":"
        + "[{\"variantId\":\"<B>\",\"quantity\":1}]}", variant));
    p.add(new Probe("POST", "/api/v1/variants/varA/stock/reservations", "{\"quantity\":1,\"orderId\":\"<B>\"}",
        order));
    p.add(new Probe("POST", "/api/v1/runs", "{\"tenantId\":\"TA\",\"driverId\":\"<B>\",\"stops\":[{\"orderId\":"
        + "\"ordA\",\"address\":\"a\",\"lat\":1,\"lon\":1}]}", driver));
    p.add(new Probe("POST", "/api/v1/runs", "{\"tenantId\":\"TA\",\"stops\":[{\"orderId\":\"<B>\",\"address\":"
        + "\"a\",\"lat\":1,\"lon\":1}]}", order));
    p.add(new Probe("POST", "/api/v1/runs", "{\"tenantId\":\"<B>\",\"stops\":[{\"orderId\":\"ordB\",\"address\":"
        + "\"a\",\"lat\":1,\"lon\":1}]}", tenant));
    p.add(new Probe("POST", "/api/v1/devices", "{\"deviceId\":\"new-dev\",\"driverId\":\"<B>\"}", driver));
    // Publishing on every channel kind of B.
    for (String channel : List.of("stock:<B>", "tenant:<B>:orders", "tenant:<B>:news", "fleet:<B>")) {
      p.add(publish(channel, tenant));
    }
    p.add(publish("user:<B>", customer));
    p.add(publish("order:<B>", order));
    p.add(publish("run:<B>", run));
    p.add(publish("driver:<B>", driver));
    p.add(publish("driver:<B>:runs", driver));
    p.add(publish("shop:<B>", shop));
    p.add(publish("variant:<B>", variant));
    return p;
  }

  private static Probe publish(String channel, String id) {
    return new Probe("POST", "/api/v1/events", "{\"channels\":[\"" + channel + "\"],\"type\":\"t\",\"data\":{}}", id);
  }

  /** Subscribing: every stream family and every channel kind with B's ids. */
  private static List<Probe> streams() {
    List<Probe> p = new ArrayList<>();
    Map<String, String> kinds = Map.of("user:<B>", "customer", "order:<B>", "order", "run:<B>", "run",
        "driver:<B>", "driver", "driver:<B>:runs", "driver", "shop:<B>", "shop", "variant:<B>", "variant",
        "tenant:<B>:orders", "tenant", "fleet:<B>", "tenant");
    kinds.forEach((channel, kind) -> p.add(new Probe("GET", "/api/v1/realtime/stream?channel=" + channel, null,
        B.get(kind))));
    // The long-poll fallback follows the same rules as the stream it stands in for.
    kinds.forEach((channel, kind) -> p.add(new Probe("GET", "/api/v1/realtime/poll?timeout=0&channel=" + channel,
        null, B.get(kind))));
    p.add(new Probe("GET", "/api/v1/realtime/fleet/stream?channel=tenant:<B>:runs", null, B.get("tenant")));
    p.add(new Probe("GET", "/api/v1/realtime/orders/<B>/stream", null, B.get("order")));
    p.add(new Probe("GET", "/api/v1/realtime/runs/<B>/stream", null, B.get("run")));
    p.add(new Probe("GET", "/api/v1/realtime/drivers/<B>/location", null, B.get("driver")));
    p.add(new Probe("GET", "/api/tenants/<B>/realtime/orders", null, B.get("tenant")));
    p.add(new Probe("GET", "/api/v1/realtime/shops/<B>/dashboard", null, B.get("shop")));
    return p;
  }

  private record Answer(int status, String error, String message) {}

  private static Answer send(Probe probe, String id, String token) throws Exception {
    String path = probe.path().replace("<B>", URLEncoder.encode(id, StandardCharsets.UTF_8));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
    String body = probe.body() == null ? null : probe.body().replace("<B>", id);
    b.method(probe.method(), body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() == 200 && path.contains("realtime/") && !path.contains("realtime-status")) {
      r.body().close(); // a stream that opened: the answer is its status
      return new Answer(200, null, null);
    }
    String text = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
    if (r.statusCode() / 100 == 2) {
      return new Answer(r.statusCode(), null, text.replace(id, "<id>"));
    }
    JsonObject json = new JsonObject(text);
    return new Answer(r.statusCode(), json.getString("error"), json.getString("message").replace(id, "<id>"));
  }

  @Test
  void no_role_of_tenant_a_reads_writes_subscribes_to_or_publishes_on_anything_of_b_nor_learns_that_it_exists()
      throws Exception {
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("customer", TestCluster.token("custA", "customer", "TA"));
    roles.put("driver", TestCluster.token("drvA", "driver", "TA"));
    roles.put("dispatcher", TestCluster.token("desk-A", "dispatcher", "TA"));
    roles.put("admin", TestCluster.token("admin-A", "admin", "TA"));
    roles.put("service", TestCluster.token("svc-A", "service", "TA"));
    String before = stateOfB();
    long eventsOfB = count("SELECT count(*) FROM sb_events WHERE EXISTS (SELECT 1 FROM unnest(channels) c"
        + " WHERE c LIKE '%B' OR c LIKE '%B:%' OR c LIKE '%:TB:%')");
    List<String> wrong = new ArrayList<>();
    List<Probe> all = new ArrayList<>(probes());
    all.addAll(streams());
    for (var role : roles.entrySet()) {
      for (Probe probe : all) {
        String ghost = "ghost-" + probe.id();
        Answer real = send(probe, probe.id(), role.getValue());
        Answer none = send(probe, ghost, role.getValue());
        String what = role.getKey() + " " + probe.method() + " " + probe.path() + " " + probe.body();
        boolean reads = probe.method().equals("GET") && !probe.path().contains("realtime/")
            && (probe.path().contains("?") || probe.path().contains("realtime-status"));
        if (real.status() / 100 == 2 && !reads) {
          wrong.add(what + ": " + real.status() + " with B's id");
        }
        if (!real.equals(new Answer(none.status(), none.error(), none.message().replace(ghost, "<id>")))
            && !real.equals(none)) {
          wrong.add(what + ": " + real + " with B's id, " + none + " with an id of nobody");
        }
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(stateOfB()).as("B's rows").isEqualTo(before);
    assertThat(count("SELECT count(*) FROM sb_events WHERE EXISTS (SELECT 1 FROM unnest(channels) c"
        + " WHERE c LIKE '%B' OR c LIKE '%B:%' OR c LIKE '%:TB:%')")).as("B's events").isEqualTo(eventsOfB);
  }

  @Test
  void no_role_of_tenant_a_joins_a_socket_io_room_of_b_nor_learns_that_it_exists() throws Exception {
    Map<String, String> rooms = new LinkedHashMap<>();
    rooms.put("shop_<B>", B.get("shop"));
    rooms.put("order-<B>", B.get("order"));
    for (Probe stream : streams()) {
      if (stream.path().startsWith("/api/v1/realtime/stream?channel=")) {
        rooms.put(stream.path().substring("/api/v1/realtime/stream?channel=".length()), stream.id());
      }
    }
    List<String> wrong = new ArrayList<>();
    for (String role : List.of("customer", "driver", "dispatcher", "admin", "service")) {
      String subject = Map.of("customer", "custA", "driver", "drvA").getOrDefault(role, role + "-A");
      SocketIoWebSocket socket = SocketIoWebSocket.connect(cluster.node(0).httpPort,
          TestCluster.token(subject, role, "TA"));
      try {
        for (var room : rooms.entrySet()) {
          for (String command : List.of("joinRoom", "join")) {
            String id = room.getValue();
            String ghost = "ghost-" + id;
            String real = socket.emitWithAck(command, room.getKey().replace("<B>", id));
            String none = socket.emitWithAck(command, room.getKey().replace("<B>", ghost));
            String what = role + " " + command + " " + room.getKey();
            if (real.contains("\"ok\":true")) {
              wrong.add(what + ": joined B's room: " + real);
            }
            if (!real.replace(id, "<id>").equals(none.replace(ghost, "<id>"))) {
              wrong.add(what + ": " + real + " with B's id, " + none + " with an id of nobody");
            }
          }
        }
      } finally {
        socket.close();
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void lists_and_the_fleet_show_a_tenant_its_own_things_only() throws Exception {
    ApiClient dispatcherA = new ApiClient(url, TestCluster.token("desk-A", "dispatcher", "TA"));
    assertThat(dispatcherA.get("/api/v1/orders").body()).doesNotContain("ordB");
    assertThat(dispatcherA.get("/api/v1/runs").body()).doesNotContain("runB");
    assertThat(dispatcherA.get("/api/v1/devices").body()).doesNotContain("devB");
    assertThat(dispatcherA.get("/api/v1/fleet/positions").body()).doesNotContain("drvB");
    assertThat(dispatcherA.get("/api/v1/fleet/nearby?lat=52.5&lon=13.4&radiusM=5000").body()).doesNotContain("drvB");
    assertThat(dispatcherA.get("/api/tenants/TA/orders/realtime-status?since=0").body()).doesNotContain("ordB");
    // B's device key is B's: A cannot take it over (a global key says "taken": docs/security.md, limits).
    ApiClient.Response takeOver = dispatcherA.post("/api/v1/devices", new JsonObject().put("deviceId", "devB")
        .put("driverId", "drvA"));
    assertThat(takeOver.status()).isEqualTo(409);
    assertThat(count("SELECT count(*) FROM devices WHERE device_key = 'devB' AND tenant_id = 'TB'")).isEqualTo(1);
  }

  private static String stateOfB() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String sql : List.of(
        "SELECT id || status || version || payment_status || coalesce(notes, '') || (deleted_at IS NULL)"
            + " FROM orders WHERE tenant_id = 'TB' ORDER BY id",
        "SELECT id || stock_quantity || '/' || reserved FROM variants WHERE shop_id = 'shopB' ORDER BY id",
        "SELECT id || status || coalesce(driver_id, '-') || version FROM runs WHERE tenant_id = 'TB' ORDER BY id",
        "SELECT id || status FROM run_stops WHERE run_id = 'runB' ORDER BY id",
        "SELECT id || state || coalesce(order_id, '-') FROM stock_reservations WHERE variant_id = 'varB'"
            + " ORDER BY id",
        "SELECT device_key || driver_id FROM devices WHERE tenant_id = 'TB' ORDER BY device_key",
        "SELECT count(*)::text FROM positions WHERE driver_id = 'drvB'",
        "SELECT count(*)::text FROM shops WHERE tenant_id = 'TB'",
        "SELECT count(*)::text FROM customers WHERE tenant_id = 'TB'",
        "SELECT count(*)::text FROM drivers WHERE tenant_id = 'TB'")) {
      try (Connection c = cluster.db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          sb.append(rs.getString(1)).append('\n');
        }
      }
    }
    return sb.toString();
  }

  private static long count(String sql) throws Exception {
    try (Connection c = cluster.db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
