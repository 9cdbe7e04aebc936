package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every public endpoint against {@link HostileCorpus}: every body field, path segment, query parameter and the
 * headers we read, on the HTTP port, the OsmAnd port and the Redis bridge's two inbound forms. Each answer is a
 * 2xx or a clear 4xx JSON error: never a 5xx, a hang or a stack trace in the log; and afterwards the node serves
 * and delivers every tenant's valid requests as before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static final String SLOT = "\u0001slot\u0001";
  /** In a call's path: replaced by a new long-polling Socket.IO session's id, made just before the call. */
  private static final String FRESH_SID = "FRESHSID";
  private static TestCluster cluster;
  private static String url;
  private static String admin;
  private static final Map<String, String> IDS = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start("hostile-input", 1, Map.of("SB_OSMAND_UNKNOWN_PER_MINUTE", "0",
        "SB_PUBLISH_RATE", "0", "SB_MAX_STREAMS_PER_USER", "0"));
    url = cluster.node(0).url();
    admin = TestCluster.token("admin-h", "admin", "th");
    ApiClient api = new ApiClient(url, admin);
    api.created("/api/v1/tenants", new JsonObject().put("id", "th").put("name", "H"));
    api.created("/api/v1/shops", new JsonObject().put("id", "shopH").put("tenantId", "th").put("name", "S"));
    api.created("/api/v1/customers", new JsonObject().put("id", "custH").put("tenantId", "th"));
    api.created("/api/v1/drivers", new JsonObject().put("id", "drvH").put("tenantId", "th").put("name", "D"));
    api.created("/api/v1/variants", new JsonObject().put("id", "varH").put("shopId", "shopH")
        .put("productName", "Roses").put("price", 10).put("stockQuantity", 1_000_000));
    api.created("/api/v1/orders", new JsonObject().put("id", "ordH").put("shopId", "shopH").put("customerId", "custH")
        .put("items", new JsonArray().add(new JsonObject().put("variantId", "varH").put("quantity", 1))));
    JsonObject run = api.created("/api/v1/runs", new JsonObject().put("id", "runH").put("tenantId", "th")
        .put("driverId", "drvH").put("stops", new JsonArray().add(new JsonObject().put("orderId", "ordH")
            .put("address", "1 H St").put("lat", 52.5).put("lon", 13.4))));
    api.created("/api/v1/devices", new JsonObject().put("deviceId", "devH").put("driverId", "drvH"));
    String reservation = api.created("/api/v1/variants/varH/stock/reservations", new JsonObject().put("quantity", 1))
        .getString("reservationId");
    IDS.putAll(Map.of("order", "ordH", "run", "runH", "driver", "drvH", "shop", "shopH", "customer", "custH",
        "variant", "varH", "tenant", "th", "device", "devH", "reservation", reservation,
        "stop", run.getJsonArray("stops").getJsonObject(0).getString("id")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      try {
        String log = Files.readString(Path.of("target", "cluster-logs", "hostile-input", "node-1.log"));
        assertThat(log).as("no stack trace in the node's log").doesNotContain("\tat ");
        assertThat(log.lines().filter(l -> l.contains("[ERROR]"))).as("no error in the node's log").isEmpty();
      } finally {
        cluster.close();
      }
    }
  }

  /** An endpoint: its path (with {name} for fixture ids, each also a slot), body template, query template. */
  private record Endpoint(String method, String path, String body, Map<String, String> query) {}

  private static List<Endpoint> endpoints() {
    List<Endpoint> e = new ArrayList<>();
    String order = "{\"id\":\"o-new\",\"shopId\":\"shopH\",\"customerId\":\"custH\",\"notes\":\"n\","
        + "\"deliveryAddress\":\"a\",\"items\":[{\"variantId\":\"varH\",\"quantity\":1}]}";
    String run = "{\"id\":\"r-new\",\"tenantId\":\"th\",\"name\":\"n\",\"driverId\":\"drvH\",\"stops\":"
        + "[{\"orderId\":\"ordH\",\"address\":\"a\",\"lat\":52.5,\"lon\":13.4}]}";
    e.add(new Endpoint("POST", "/api/v1/events", "{\"channels\":[\"tenant:th:news\"],\"type\":\"news\","
        + "\"data\":{\"a\":1}}", Map.of()));
    e.add(new Endpoint("POST", "/api/v1/tenants", "{\"id\":\"th\",\"name\":\"n\"}", Map.of()));
    e.add(new Endpoint("POST", "/api/v1/customers", "{\"id\":\"c-new\",\"tenantId\":\"th\",\"email\":\"e@x\","
        + "\"name\":\"n\"}", Map.of()));
    e.add(new Endpoint("POST", "/api/v1/shops", "{\"id\":\"s-new\",\"tenantId\":\"th\",\"name\":\"n\"}", Map.of()));
    e.add(new Endpoint("POST", "/api/v1/drivers", "{\"id\":\"d-new\",\"tenantId\":\"th\",\"name\":\"n\"}", Map.of()));
    e.add(new Endpoint("POST", "/api/v1/variants", "{\"id\":\"v-new\",\"shopId\":\"shopH\",\"productId\":\"p\","
        + "\"productName\":\"n\",\"name\":\"n\",\"price\":1.5,\"cost\":1,\"stockQuantity\":5,"
        + "\"lowStockThreshold\":1}", Map.of()));
    for (String path : List.of("/api/v1/tenants/{tenant}", "/api/v1/customers/{customer}", "/api/v1/shops/{shop}",
        "/api/v1/variants/{variant}", "/api/v1/drivers/{driver}", "/api/v1/orders/{order}", "/api/v1/runs/{run}")) {
      e.add(new Endpoint("GET", path, null, Map.of()));
    }
    e.add(new Endpoint("POST", "/api/v1/orders", order, Map.of()));
    e.add(new Endpoint("GET", "/api/v1/orders", null, Map.of("status", "pending", "tenantId", "th", "shopId",
        "shopH", "customerId", "custH", "limit", "5", "offset", "0")));
    e.add(new Endpoint("PATCH", "/api/v1/orders/{order}", "{\"notes\":\"n\",\"assignedTo\":\"x\","
        + "\"deliveryAddress\":\"a\",\"status\":\"pending\"}", Map.of()));
    e.add(new Endpoint("PUT", "/api/tenants/{tenant}/orders/{order}", "{\"notes\":\"n\",\"status\":\"pending\"}",
        Map.of()));
    e.add(new Endpoint("POST", "/api/v1/orders/{order}/payments", "{\"status\":\"failed\",\"amount\":1,"
        + "\"reason\":\"r\"}", Map.of()));
    e.add(new Endpoint("POST", "/api/v1/orders/{order}/shipment", "{\"trackingNumber\":\"t\",\"courierName\":\"c\","
        + "\"trackingUrl\":\"u\"}", Map.of()));
    e.add(new Endpoint("PUT", "/api/v1/orders/{order}/shipment", "{\"trackingNumber\":\"t\"}", Map.of()));
    e.add(new Endpoint("POST", "/api/v1/orders/{order}/delivery", "{}", Map.of()));
    e.add(new Endpoint("POST", "/api/v1/variants/{variant}/stock/adjustments", "{\"change\":1,\"reason\":\"r\"}",
        Map.of()));
    e.add(new Endpoint("POST", "/api/v1/variants/{variant}/stock/reservations", "{\"quantity\":1,"
        + "\"orderId\":\"ordH\"}", Map.of()));
    e.add(new Endpoint("POST", "/api/v1/stock/reservations/{reservation}/release", "{}", Map.of()));
    e.add(new Endpoint("POST", "/api/v1/runs", run, Map.of()));
    e.add(new Endpoint("GET", "/api/v1/runs", null, Map.of("status", "active", "driverId", "drvH", "limit", "5",
        "offset", "0")));
    e.add(new Endpoint("POST", "/api/v1/runs/{run}/assign", "{\"driverId\":\"drvH\"}", Map.of()));
    e.add(new Endpoint("POST", "/api/v1/runs/{run}/stops/{stop}/complete", "{}", Map.of()));
    e.add(new Endpoint("GET", "/api/tenants/{tenant}/orders/realtime-status", null, Map.of("since", "0")));
    e.add(new Endpoint("POST", "/api/v1/drivers/{driver}/location", "{\"latitude\":52.5,\"longitude\":13.4,"
        + "\"heading\":9,\"speed\":5,\"accuracy\":3,\"altitude\":30,\"battery\":50,\"timestamp\":\"2026-01-01T00:00:00Z\"}",
        Map.of()));
    e.add(new Endpoint("POST", "/api/v1/drivers/{driver}/locations", "{\"locations\":[{\"latitude\":52.5,"
        + "\"longitude\":13.4,\"timestamp\":1767225600}]}", Map.of()));
    e.add(new Endpoint("GET", "/api/v1/drivers/{driver}/track", null, Map.of("from", "2026-01-01T00:00:00Z",
        "to", "2026-01-02T00:00:00Z", "limit", "5", "format", "geojson")));
    e.add(new Endpoint("POST", "/api/v1/devices", "{\"deviceId\":\"dev-new\",\"driverId\":\"drvH\"}", Map.of()));
    e.add(new Endpoint("GET", "/api/v1/devices", null, Map.of("driverId", "drvH")));
    e.add(new Endpoint("GET", "/api/v1/fleet/positions", null, Map.of()));
    e.add(new Endpoint("GET", "/api/v1/fleet/nearby", null, Map.of("lat", "52.5", "lon", "13.4", "radiusM", "100",
        "limit", "5")));
    e.add(new Endpoint("POST", "/api/v1/realtime/tickets", null, Map.of()));
    e.add(new Endpoint("GET", "/api/v1/realtime/stats", null, Map.of()));
    e.add(new Endpoint("GET", "/api/v1/realtime/stream", null, Map.of("channel", "tenant:th:news",
        "channels", "tenant:th:a,tenant:th:b", "lastEventId", "0", "events", "named", "named", "true")));
    e.add(new Endpoint("GET", "/api/v1/realtime/poll", null, Map.of("channel", "tenant:th:news",
        "channels", "tenant:th:a,tenant:th:b", "lastEventId", "0", "timeout", "0")));
    e.add(new Endpoint("GET", "/api/realtime/events", null, Map.of("tenant", "th", "lastEventId", "0")));
    e.add(new Endpoint("GET", "/api/realtime/events/user", null, Map.of()));
    e.add(new Endpoint("GET", "/api/v1/realtime/orders/{order}/stream", null, Map.of("events", "both")));
    e.add(new Endpoint("GET", "/api/v1/realtime/runs/{run}/stream", null, Map.of()));
    e.add(new Endpoint("GET", "/api/v1/realtime/drivers/{driver}/location", null, Map.of()));
    e.add(new Endpoint("GET", "/api/v1/realtime/fleet/stream", null, Map.of("channel", "tenant:th:runs")));
    e.add(new Endpoint("GET", "/api/tenants/{tenant}/realtime/orders", null, Map.of()));
    e.add(new Endpoint("GET", "/api/v1/realtime/shops/{shop}/dashboard", null, Map.of()));
    e.add(new Endpoint("GET", "/console/{shop}", null, Map.of()));
    e.add(new Endpoint("POST", "/console/dev-token", "{}", Map.of()));
    e.add(new Endpoint("GET", "/health/ready", null, Map.of()));
    // Socket.IO's HTTP side: the long-polling handshake, and a polling POST to a live session.
    e.add(new Endpoint("GET", "/socket.io/", null, Map.of("EIO", "4", "transport", "polling", "t", "PxZ1")));
    e.add(new Endpoint("POST", "/socket.io/", null, Map.of("EIO", "4", "transport", "polling", "sid", FRESH_SID)));
    return e;
  }

  /** One request to send. */
  private record Call(String what, String method, String path, byte[] body, Map<String, String> headers) {}

  private static List<Call> calls() {
    List<Call> calls = new ArrayList<>();
    for (Endpoint e : endpoints()) {
      String path = fill(e.path(), null, null);
      String query = query(e.query(), null, null);
      // Every body field, at any depth, with every value.
      if (e.body() != null) {
        for (String field : fields(new JsonObject(e.body()), "")) {
          for (String value : HostileCorpus.JSON_VALUES) {
            calls.add(call(e, "body " + field + " = " + abbreviate(value), path + query, withValue(e.body(), field, value)));
          }
        }
      }
      if (!e.method().equals("GET")) {
        for (byte[] body : HostileCorpus.BODIES) {
          calls.add(new Call(e.method() + " " + e.path() + " raw body", e.method(), path + query, body, Map.of()));
        }
      }
      // Every path segment that names something, and every query parameter.
      for (String name : slots(e.path())) {
        for (String s : HostileCorpus.STRINGS) {
          calls.add(call(e, "path " + name + " = " + abbreviate(s), fill(e.path(), name, s) + query,
              e.body() == null ? null : e.body().getBytes(StandardCharsets.UTF_8)));
        }
      }
      for (String name : e.query().keySet()) {
        for (String s : HostileCorpus.STRINGS) {
          calls.add(call(e, "query " + name + " = " + abbreviate(s), path + query(e.query(), name, s),
              e.body() == null ? null : e.body().getBytes(StandardCharsets.UTF_8)));
        }
      }
    }
    // Thousands of channels and parameters.
    StringBuilder many = new StringBuilder("/api/v1/realtime/stream?channel=tenant:th:x");
    for (int i = 0; i < 3_000; i++) {
      many.append("&channel=tenant:th:c").append(i);
    }
    calls.add(new Call("3000 channels", "GET", many.toString(), null, Map.of()));
    calls.add(new Call("3000 channels, one list", "GET", "/api/v1/realtime/stream?channels="
        + "tenant:th:c,".repeat(3_000), null, Map.of()));
    StringBuilder params = new StringBuilder("/api/v1/orders?");
    for (int i = 0; i < 3_000; i++) {
      params.append("p").append(i).append("=").append(i).append('&');
    }
    calls.add(new Call("3000 query parameters", "GET", params.toString(), null, Map.of()));
    // The headers we read.
    for (String s : HostileCorpus.STRINGS) {
      if (s.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c > 0x7e)) {
        continue; // not a header value an HTTP client can send
      }
      calls.add(new Call("Last-Event-ID " + abbreviate(s), "GET", "/api/v1/realtime/stream?channel=tenant:th:news",
          null, Map.of("Last-Event-ID", s)));
      calls.add(new Call("If-Match " + abbreviate(s), "PATCH", "/api/v1/orders/ordH",
          "{\"notes\":\"n\"}".getBytes(StandardCharsets.UTF_8), Map.of("If-Match", s)));
      calls.add(new Call("Idempotency-Key " + abbreviate(s), "POST", "/api/v1/variants/varH/stock/adjustments",
          "{\"change\":1}".getBytes(StandardCharsets.UTF_8), Map.of("Idempotency-Key", s)));
      calls.add(new Call("Authorization " + abbreviate(s), "GET", "/api/v1/orders", null,
          Map.of("Authorization", "Bearer " + s)));
      calls.add(new Call("X-Forwarded-For " + abbreviate(s), "GET", "/api/v1/realtime/stream?channel=tenant:th:x",
          null, Map.of("X-Forwarded-For", s)));
      calls.add(new Call("ticket " + abbreviate(s), "GET", "/api/v1/realtime/stream?channel=tenant:th:x&ticket="
          + URLEncoder.encode(s, StandardCharsets.UTF_8), null, Map.of("Authorization", "")));
    }
    // Socket.IO packets in a polling body, each to a session of its own: a namespace CONNECT with every auth value,
    // and after it the room commands with every argument.
    String socketIo = "/socket.io/?EIO=4&transport=polling&sid=" + FRESH_SID;
    for (String value : HostileCorpus.JSON_VALUES) {
      for (String packet : List.of("40" + value, "40/notifications," + value, "40\u001e42[\"joinRoom\"," + value + "]",
          "40\u001e42[\"leaveRoom\"," + value + "]", "40\u001e42[\"join\"," + value + "]",
          "40\u001e421[\"joinRoom\"," + value + "]", "40\u001e42[" + value + "]")) {
        calls.add(new Call("socket.io packet " + abbreviate(packet), "POST", socketIo,
            packet.getBytes(StandardCharsets.UTF_8), Map.of()));
      }
    }
    for (String huge : List.of("99999999999999999999999999", "-5", "9223372036854775807", "18446744073709551616")) {
      calls.add(new Call("Last-Event-ID " + huge, "GET", "/api/v1/realtime/stream?channel=tenant:th:news", null,
          Map.of("Last-Event-ID", huge)));
    }
    return calls;
  }

  private static Call call(Endpoint e, String what, String pathAndQuery, byte[] body) {
    return new Call(e.method() + " " + e.path() + " " + what, e.method(), pathAndQuery, body, Map.of());
  }

  private static Call call(Endpoint e, String what, String pathAndQuery, String body) {
    return call(e, what, pathAndQuery, body.getBytes(StandardCharsets.UTF_8));
  }

  /** The paths of every leaf of a JSON template, as a/0/b. */
  private static List<String> fields(Object node, String prefix) {
    List<String> out = new ArrayList<>();
    if (node instanceof JsonObject o) {
      for (String k : o.fieldNames()) {
        out.addAll(fields(o.getValue(k), prefix.isEmpty() ? k : prefix + "/" + k));
      }
    } else if (node instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        out.addAll(fields(a.getValue(i), prefix + "/" + i));
      }
      out.add(prefix); // the array itself
    } else {
      out.add(prefix);
    }
    return out;
  }

  /** The template with the value at {@code field} replaced by raw JSON text (which need not be valid JSON). */
  private static String withValue(String template, String field, String raw) {
    JsonObject doc = new JsonObject(template);
    String[] parts = field.split("/");
    Object parent = doc;
    for (int i = 0; i < parts.length - 1; i++) {
      parent = parent instanceof JsonObject o ? o.getValue(parts[i]) : ((JsonArray) parent).getValue(Integer.parseInt(parts[i]));
    }
    String last = parts[parts.length - 1];
    if (parent instanceof JsonObject o) {
      o.put(last, SLOT);
    } else {
      ((JsonArray) parent).set(Integer.parseInt(last), SLOT);
    }
    return doc.encode().replace("\"\\u0001slot\\u0001\"", raw);
  }

  private static List<String> slots(String path) {
    List<String> out = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.startsWith("{")) {
        out.add(part.substring(1, part.length() - 1));
      }
    }
    return out;
  }

  /** The path with fixture ids, and {@code value} (URL-encoded) in place of {@code slot}. */
  private static String fill(String path, String slot, String value) {
    String out = path;
    for (var id : IDS.entrySet()) {
      String v = id.getKey().equals(slot) ? URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")
          : id.getValue();
      out = out.replace("{" + id.getKey() + "}", v);
    }
    return out;
  }

  private static String query(Map<String, String> params, String slot, String value) {
    if (params.isEmpty()) {
      return "";
    }
    StringBuilder q = new StringBuilder("?");
    params.forEach((k, v) -> q.append(q.length() > 1 ? "&" : "").append(k).append('=')
        .append(URLEncoder.encode(k.equals(slot) ? value : v, StandardCharsets.UTF_8)));
    return q.toString();
  }

  private static String abbreviate(String s) {
    String shown = s.replace("\n", "\\n").replace("\r", "\\r").replace("\u0000", "\\0");
    return shown.length() > 40 ? shown.substring(0, 40) + "…(" + s.length() + ")" : shown;
  }

  /** What was wrong with the answer, or null. */
  private static String judge(Call c, int port, String token) {
    try {
      String path = c.path().contains(FRESH_SID) ? c.path().replace(FRESH_SID, pollingSession(port, token)) : c.path();
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(15))
          .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(c.body()))
          .header("Content-Type", "application/json");
      if (!c.headers().containsKey("Authorization") && token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      c.headers().forEach((k, v) -> {
        if (!v.isEmpty()) {
          b.header(k, v);
        }
      });
      HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      String type = r.headers().firstValue("Content-Type").orElse("");
      if (type.startsWith("text/event-stream")) {
        r.body().close();
        return r.statusCode() == 200 ? null : "a stream with status " + r.statusCode();
      }
      String text = new String(r.body().readNBytes(2_000_000), StandardCharsets.UTF_8);
      r.body().close();
      int s = r.statusCode();
      if (s >= 500) {
        return s + " " + abbreviate(text);
      }
      if (s >= 400) {
        JsonObject json = new JsonObject(text);
        if (json.getString("error") == null || json.getString("message") == null || !type.startsWith("application/json")) {
          return s + " without a JSON error: " + abbreviate(text);
        }
      }
      return null;
    } catch (java.net.http.HttpTimeoutException e) {
      return "no answer within 15 s";
    } catch (Exception e) {
      return e.toString();
    }
  }

  /** A new Socket.IO long-polling session's id (its handshake carries the caller's token). */
  private static String pollingSession(int port, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/socket.io/?EIO=4&transport=polling")).timeout(Duration.ofSeconds(15));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> open = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(open.body()).startsWith("0{");
    return URLEncoder.encode(new JsonObject(open.body().substring(1)).getString("sid"), StandardCharsets.UTF_8);
  }

  private static List<String> run(List<Call> calls, int port, String token) throws Exception {
    List<String> wrong = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
      List<Future<?>> done = new ArrayList<>();
      for (Call c : calls) {
        done.add(pool.submit(() -> {
          String problem = judge(c, port, token);
          if (problem != null) {
            wrong.add(c.what() + " -> " + problem);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    return wrong;
  }

  @Test
  @Order(1)
  void every_http_endpoint_answers_every_bad_value_with_a_2xx_or_a_clear_4xx() throws Exception {
    List<Call> calls = calls();
    assertThat(calls).hasSizeGreaterThan(3_000);
    List<String> wrong = run(calls, cluster.node(0).httpPort, admin);
    assertThat(wrong).as(wrong.size() + " of " + calls.size() + " answers").isEmpty();
    // And as someone else: a customer of the tenant, another tenant's service, nobody.
    List<Call> sample = java.util.stream.IntStream.range(0, calls.size()).filter(i -> i % 7 == 0)
        .mapToObj(calls::get).toList();
    for (String token : new String[] {TestCluster.token("custH", "customer", "th"),
        TestCluster.token("svc", "service", "other"), null}) {
      assertThat(run(sample, cluster.node(0).httpPort, token)).isEmpty();
    }
  }

  @Test
  @Order(2)
  void the_osmand_port_answers_every_bad_value_as_traccar_would_or_with_a_clear_4xx() throws Exception {
    List<Call> calls = new ArrayList<>();
    Map<String, String> query = new LinkedHashMap<>();
    for (String p : List.of("id=devH", "lat=52.5", "lon=13.4", "timestamp=1767225600", "speed=3", "bearing=9",
        "altitude=30", "accuracy=5", "batt=70", "valid=true", "location=52.5,13.4", "deviceid=devH")) {
      query.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
    }
    for (String name : query.keySet()) {
      for (String s : HostileCorpus.STRINGS) {
        Map<String, String> q = new LinkedHashMap<>(query);
        q.put(name, s);
        calls.add(new Call("osmand query " + name + " = " + abbreviate(s), "GET", "/" + query(q, null, null), null,
            Map.of()));
        calls.add(new Call("osmand form " + name + " = " + abbreviate(s), "POST", "/",
            query(q, null, null).substring(1).getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/x-www-form-urlencoded")));
      }
    }
    String json = "{\"device_id\":\"devH\",\"location\":{\"timestamp\":\"2026-01-01T00:00:00Z\",\"coords\":"
        + "{\"latitude\":52.5,\"longitude\":13.4,\"speed\":1,\"heading\":9,\"accuracy\":3,\"altitude\":30},"
        + "\"battery\":{\"level\":0.5}}}";
    for (String field : fields(new JsonObject(json), "")) {
      for (String value : HostileCorpus.JSON_VALUES) {
        calls.add(new Call("osmand json " + field + " = " + abbreviate(value), "POST", "/",
            withValue(json, field, value).getBytes(StandardCharsets.UTF_8), Map.of()));
      }
    }
    for (byte[] body : HostileCorpus.BODIES) {
      calls.add(new Call("osmand raw body", "POST", "/", body, Map.of()));
    }
    List<String> wrong = run(calls, cluster.node(0).osmandPort(), null);
    assertThat(wrong).as(wrong.size() + " of " + calls.size() + " answers").isEmpty();
  }

  @Test
  @Order(3)
  void the_redis_bridge_takes_every_bad_message_in_both_forms_as_a_dead_letter_and_carries_on() throws Exception {
    Vertx vertx = Vertx.vertx();
    Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:6379");
    String prefix = cluster.redisPrefix();
    try {
      String good = "{\"channels\":[\"tenant:th:news\"],\"type\":\"news\",\"data\":{\"a\":1}}";
      List<Request> requests = new ArrayList<>();
      for (String field : fields(new JsonObject(good).put("idempotencyKey", "k").put("durable", true), "")) {
        for (String value : HostileCorpus.JSON_VALUES) {
          String message = withValue(new JsonObject(good).put("idempotencyKey", "k").put("durable", true).encode(),
              field, value);
          requests.add(Request.cmd(Command.PUBLISH).arg(prefix + "publish").arg(message));
          requests.add(Request.cmd(Command.XADD).arg(prefix + "events:in").arg("*").arg("payload").arg(message));
        }
      }
      for (byte[] body : HostileCorpus.BODIES) {
        requests.add(Request.cmd(Command.PUBLISH).arg(prefix + "publish").arg(io.vertx.core.buffer.Buffer.buffer(body)));
        requests.add(Request.cmd(Command.XADD).arg(prefix + "events:in").arg("*").arg("payload")
            .arg(io.vertx.core.buffer.Buffer.buffer(body)));
      }
      for (String field : List.of("channels", "channel", "type", "data", "idempotencyKey", "durable")) {
        for (String s : HostileCorpus.STRINGS) {
          Map<String, String> fields = new LinkedHashMap<>(Map.of("channels", "tenant:th:news", "type", "news",
              "data", "{\"a\":1}"));
          fields.put(field, s);
          Request xadd = Request.cmd(Command.XADD).arg(prefix + "events:in").arg("*");
          fields.forEach((k, v) -> xadd.arg(k).arg(v));
          requests.add(xadd);
        }
      }
      for (Request r : requests) {
        redis.send(r).toCompletionStage().toCompletableFuture().get();
      }
      Await.until("the stream read to its end", Duration.ofSeconds(60), () -> {
        try {
          return redis.send(Request.cmd(Command.XPENDING).arg(prefix + "events:in").arg("switchboard"))
              .toCompletionStage().toCompletableFuture().get().get(0).toLong() == 0
              && cluster.node(0).health().getJsonObject("bridge").getLong("deadLetters", 0L) > 100;
        } catch (Exception e) {
          return false;
        }
      });
    } finally {
      redis.close();
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  @Test
  @Order(4)
  void a_socket_io_websocket_takes_every_bad_packet_by_closing_that_connection_or_answering_it() throws Exception {
    List<String> packets = new ArrayList<>();
    for (String s : HostileCorpus.STRINGS) {
      packets.add(s);
      packets.add("4" + s);
      packets.add("42" + s);
      packets.add("42[\"joinRoom\"," + new JsonArray().add(s).encode().substring(1));
    }
    for (String value : HostileCorpus.JSON_VALUES) {
      packets.add("42[\"joinRoom\"," + value + "]");
      packets.add("42[" + value + "]");
      packets.add("40/notifications," + value);
    }
    // A WebSocket text message is UTF-8: a lone surrogate cannot be sent as one (the polling corpus has them).
    packets.removeIf(p -> !StandardCharsets.UTF_8.newEncoder().canEncode(p));
    List<String> wrong = new ArrayList<>();
    for (String packet : packets) {
      SocketIoWebSocket ws = SocketIoWebSocket.connect(cluster.node(0).httpPort, admin);
      try {
        ws.send(packet);
        // Answered (an ack, an error event) or closed; then the connection is either still usable or gone.
        String outcome = ws.outcomeWithin(Duration.ofSeconds(10));
        if (outcome == null) {
          wrong.add(abbreviate(packet) + " -> no answer, no close within 10 s");
        }
      } finally {
        ws.close();
      }
    }
    assertThat(wrong).as(wrong.size() + " of " + packets.size() + " packets").isEmpty();
  }

  @Test
  @Order(5)
  void afterwards_the_node_serves_and_delivers_every_tenants_valid_requests() throws Exception {
    assertThat(cluster.node(0).ready(1)).isTrue();
    String other = "t-after";
    ApiClient otherAdmin = new ApiClient(url, TestCluster.token("admin-o", "admin", other));
    otherAdmin.created("/api/v1/tenants", new JsonObject().put("id", other).put("name", "O"));
    try (SseTestClient h = new SseTestClient(List.of(url), "channel=tenant:th:after",
        TestCluster.token("desk", "dispatcher", "th"), null);
         SseTestClient o = new SseTestClient(List.of(url), "channel=tenant:" + other + ":after",
             TestCluster.token("desk", "dispatcher", other), null)) {
      Await.until("both open", Duration.ofSeconds(10), () -> !h.frames.isEmpty() && !o.frames.isEmpty());
      for (var target : Map.of("th", admin, other, otherAdmin == null ? "" : TestCluster.token("svc", "service", other))
          .entrySet()) {
        ApiClient.Response r = new ApiClient(url, target.getValue()).post("/api/v1/events", new JsonObject()
            .put("channels", List.of("tenant:" + target.getKey() + ":after")).put("type", "ok")
            .put("data", new JsonObject().put("at", Instant.now().toString())));
        assertThat(r.status()).isEqualTo(202);
      }
      Await.until("both delivered", Duration.ofSeconds(10), () -> h.events().size() == 1 && o.events().size() == 1);
    }
    ApiClient api = new ApiClient(url, admin);
    assertThat(api.patch("/api/v1/orders/ordH", new JsonObject().put("notes", "fine")).status()).isEqualTo(200);
    assertThat(api.post("/api/v1/drivers/drvH/location", new JsonObject().put("latitude", 52.51)
        .put("longitude", 13.41)).status()).isIn(202, 422);
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.node(0).osmandPort()
        + "/?id=devH&lat=52.52&lon=13.42")).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
        .isEqualTo(200);
  }
}
