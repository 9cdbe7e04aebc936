package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GPS ingest on a 2-node cluster: OsmAnd in the forms Traccar Client sends, the JSON API with its filters and
 * per-point batch answers, conflated driver and fleet streams (positions taken on one node, streamed from the
 * other), the fleet queries, and arrival and ETA events.
 */
class LocationIngestTest {

  private static TestCluster cluster;
  private static CommerceFixture fx;
  private static String dispatcher;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = TestCluster.start("location-ingest", 2, Map.of("SB_ETA_INTERVAL", "1s",
        "SB_ACTIVE_RUNS_REFRESH", "300ms", "SB_LIVE_INTERVAL", "1s"));
    fx = new CommerceFixture(cluster.node(0).url(), null, 50);
    dispatcher = fx.token("dispatcher-1", "dispatcher");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String driver() throws Exception {
    String id = "d-" + UUID.randomUUID().toString().substring(0, 8);
    fx.api.created("/api/v1/drivers", new JsonObject().put("id", id).put("tenantId", fx.tenant).put("name", "Dana"));
    return id;
  }

  private static ApiClient api(int node, String token) {
    return new ApiClient(cluster.node(node).url(), token);
  }

  private static JsonObject fix(double lat, double lon, Instant at) {
    return new JsonObject().put("latitude", lat).put("longitude", lon).put("heading", 90).put("speed", 30)
        .put("accuracy", 8).put("timestamp", at.toString());
  }

  private static HttpResponse<String> osmand(int node, String method, String pathAndQuery, String contentType,
                                             String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.node(node).osmandPort()
        + pathAndQuery)).timeout(Duration.ofSeconds(10));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return TestCluster.send(b.build());
  }

  private static JsonArray track(String driver, String query) throws Exception {
    return api(0, dispatcher).get("/api/v1/drivers/" + driver + "/track?" + query).json().getJsonArray("points");
  }

  @Test
  void osmand_takes_every_form_traccar_client_sends() throws Exception {
    String driver = driver();
    String device = "dev-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(api(0, dispatcher).post("/api/v1/devices", new JsonObject().put("deviceId", device)
        .put("driverId", driver)).status()).isEqualTo(201);
    // Registered again to the same driver: the same answer; to another: a conflict.
    assertThat(api(1, dispatcher).post("/api/v1/devices", new JsonObject().put("deviceId", device)
        .put("driverId", driver)).status()).isEqualTo(200);
    assertThat(api(1, dispatcher).post("/api/v1/devices", new JsonObject().put("deviceId", device)
        .put("driverId", driver())).status()).isEqualTo(409);

    long t0 = Instant.now().minusSeconds(60).getEpochSecond();
    // 1. GET, epoch seconds, speed in knots, bearing, altitude, accuracy, battery (Traccar Client's query form).
    assertThat(osmand(0, "GET", "/?id=" + device + "&timestamp=" + t0 + "&lat=52.5200&lon=13.4050&speed=10"
        + "&bearing=90&altitude=34&accuracy=5&batt=80", null, null).statusCode()).isEqualTo(200);
    // 2. POST with the parameters in the query and an empty body, epoch milliseconds, deviceid.
    assertThat(osmand(1, "POST", "/?deviceid=" + device + "&timestamp=" + (t0 + 10) * 1000 + "&lat=52.5210"
        + "&lon=13.4060&heading=180", null, "").statusCode()).isEqualTo(200);
    // 3. POST with a form body, ISO-8601 time.
    assertThat(osmand(0, "POST", "/", "application/x-www-form-urlencoded", "id=" + device + "&timestamp="
        + Instant.ofEpochSecond(t0 + 20) + "&lat=52.5220&lon=13.4070").statusCode()).isEqualTo(200);
    // 4. location=lat,lon.
    assertThat(osmand(1, "GET", "/?id=" + device + "&timestamp=" + (t0 + 30) + "&location=52.5230,13.4080",
        null, null).statusCode()).isEqualTo(200);
    // 5. The JSON body form: speed in m/s, battery level 0..1.
    JsonObject json = new JsonObject().put("device_id", device).put("location", new JsonObject()
        .put("timestamp", Instant.ofEpochSecond(t0 + 40).toString())
        .put("coords", new JsonObject().put("latitude", 52.5240).put("longitude", 13.4090).put("speed", 10)
            .put("heading", 45).put("accuracy", 4).put("altitude", 30))
        .put("battery", new JsonObject().put("level", 0.5).put("is_charging", false)));
    assertThat(osmand(0, "POST", "/", "application/json", json.encode()).statusCode()).isEqualTo(200);

    // Unknown devices get Traccar's answers; unreadable messages a JSON error.
    assertThat(osmand(0, "GET", "/?id=nobody&lat=1&lon=1", null, null).statusCode()).isEqualTo(400);
    assertThat(osmand(0, "POST", "/", "application/json", json.copy().put("device_id", "nobody").encode())
        .statusCode()).isEqualTo(404);
    HttpResponse<String> missing = osmand(0, "GET", "/?id=" + device + "&lon=1", null, null);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(missing.body()).getString("error")).isEqualTo("bad_request");
    assertThat(osmand(0, "POST", "/", "application/json", "{not json").statusCode()).isEqualTo(400);
    assertThat(osmand(0, "DELETE", "/?id=" + device, null, null).statusCode()).isEqualTo(405);

    Await.until("5 positions in the history", Duration.ofSeconds(10), () -> {
      try {
        return track(driver, "from=" + (t0 - 1)).size() == 5;
      } catch (Exception e) {
        return false;
      }
    });
    JsonArray points = track(driver, "from=" + (t0 - 1));
    assertThat(points.getJsonObject(0).getString("timestamp")).isEqualTo(Instant.ofEpochSecond(t0).toString());
    assertThat(points.getJsonObject(0).getDouble("speed")).isCloseTo(18.52, org.assertj.core.data.Offset.offset(0.01));
    assertThat(points.getJsonObject(0).getDouble("heading")).isEqualTo(90.0);
    assertThat(points.getJsonObject(1).getDouble("heading")).isEqualTo(180.0);
    assertThat(points.getJsonObject(3).getDouble("latitude")).isEqualTo(52.5230);
    assertThat(points.getJsonObject(4).getDouble("speed")).isCloseTo(36.0, org.assertj.core.data.Offset.offset(0.01));

    // Removed: the tracker is unknown again on every node at once.
    assertThat(api(0, dispatcher).delete("/api/v1/devices/" + device).status()).isEqualTo(204);
    Await.until("the device is forgotten on node 2", Duration.ofSeconds(5), () -> {
      try {
        return osmand(1, "GET", "/?id=" + device + "&lat=52.6&lon=13.5", null, null).statusCode() == 400;
      } catch (Exception e) {
        return false;
      }
    });
  }

  @Test
  void values_the_database_cannot_store_are_refused_and_history_keeps_being_written() throws Exception {
    String driver = driver();
    String device = "dev-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(api(0, dispatcher).post("/api/v1/devices", new JsonObject().put("deviceId", device)
        .put("driverId", driver)).status()).isEqualTo(201);
    ApiClient asDriver = api(0, fx.token(driver, "driver"));
    Instant t = Instant.now().minusSeconds(120);
    String path = "/api/v1/drivers/" + driver + "/location";
    // Raw bodies: 1e400 is what a JSON parser turns into Infinity.
    for (String reading : List.of("\"speed\": 1e300", "\"speed\": 1e-300", "\"altitude\": 1e400",
        "\"accuracy\": -1e-300", "\"heading\": 1e39", "\"battery\": 1e-300")) {
      String body = "{\"latitude\": 52.52, \"longitude\": 13.40, \"timestamp\": \"" + t + "\", " + reading + "}";
      ApiClient.Response r = asDriver.post(path, body);
      assertThat(r.status()).as(reading + " -> " + r.body()).isEqualTo(422);
      assertThat(r.json().getString("error")).isEqualTo("invalid_reading");
    }
    ApiClient.Response pole = asDriver.post(path, fix(89.5, 13.4, t));
    assertThat(pole.status()).as("beyond what Redis GEO indexes").isEqualTo(422);
    assertThat(pole.json().getString("error")).isEqualTo("invalid_coordinates");
    // OsmAnd answers 200 for a point it will not keep (a tracker would resend a refused one forever).
    long s = t.getEpochSecond();
    for (String q : List.of("speed=1e-300", "altitude=Infinity", "accuracy=1e300", "bearing=-1e39", "batt=1e400")) {
      assertThat(osmand(0, "GET", "/?id=" + device + "&timestamp=" + (s + 1) + "&lat=52.52&lon=13.40&" + q, null,
          null).statusCode()).as(q).isEqualTo(200);
    }
    assertThat(osmand(1, "POST", "/", "application/json", "{\"device_id\":\"" + device + "\",\"location\":"
        + "{\"timestamp\":" + (s + 2) + ",\"coords\":{\"latitude\":52.52,\"longitude\":13.4,\"altitude\":1e-300}}}")
        .statusCode()).isEqualTo(200);

    // Every good point after them is taken and written.
    for (int i = 0; i < 3; i++) {
      ApiClient.Response good = asDriver.post(path, fix(52.52 + i * 0.0001, 13.40, t.plusSeconds(10 + i)));
      assertThat(good.status()).as(good.body()).isEqualTo(202);
    }
    assertThat(osmand(1, "GET", "/?id=" + device + "&timestamp=" + (s + 20) + "&lat=52.5205&lon=13.40&speed=5", null,
        null).statusCode()).isEqualTo(200);
    Await.until("the 4 good points in the history, none of the bad ones", Duration.ofSeconds(10), () -> {
      try {
        return track(driver, "from=" + t.minusSeconds(1)).size() == 4;
      } catch (Exception e) {
        return false;
      }
    });
    Thread.sleep(500);
    assertThat(track(driver, "from=" + t.minusSeconds(1))).hasSize(4);
    for (int node = 0; node < 2; node++) {
      JsonObject ingest = cluster.node(node).health().getJsonObject("ingest");
      assertThat(ingest.getBoolean("historyStalled")).isFalse();
      assertThat(ingest.getInteger("buffered")).isZero();
    }
  }

  @Test
  void filters_reject_bad_points_and_a_batch_answers_for_each_point() throws Exception {
    String driver = driver();
    ApiClient asDriver = api(1, fx.token(driver, "driver"));
    Instant t = Instant.now().minusSeconds(30);
    JsonArray batch = new JsonArray()
        .add(fix(48.8566, 2.3522, t))                                       // 0 good
        .add(fix(91, 2.35, t.plusSeconds(1)))                               // 1 invalid coordinates
        .add(fix(0, 0, t.plusSeconds(2)))                                   // 2 (0,0)
        .add(fix(48.8566, 2.3522, t))                                       // 3 the same fix again
        .add(fix(48.8567, 2.3523, Instant.now().plusSeconds(3600)))         // 4 an hour in the future
        .add(fix(48.8568, 2.3524, t.plusSeconds(3)).put("accuracy", 5000))  // 5 accuracy 5 km
        .add(fix(40.4168, -3.7038, t.plusSeconds(10)))                      // 6 Paris to Madrid in 10 s
        .add(fix(48.8570, 2.3530, t.plusSeconds(5)))                        // 7 good
        .add(fix(48.8569, 2.3529, t.plusSeconds(4)))                        // 8 older than 7: history only
        .add("not a position")                                              // 9 unreadable
        .add(new JsonObject().put("latitude", "north").put("longitude", 2)); // 10 unreadable
    ApiClient.Response r = asDriver.post("/api/v1/drivers/" + driver + "/locations",
        new JsonObject().put("locations", batch));
    assertThat(r.status()).isEqualTo(200);
    JsonObject answer = r.json();
    assertThat(answer.getInteger("accepted")).isEqualTo(3);
    assertThat(answer.getInteger("rejected")).isEqualTo(8);
    List<String> reasons = answer.getJsonArray("results").stream()
        .map(o -> ((JsonObject) o).getString("reason", "ok")).toList();
    assertThat(reasons).containsExactly("ok", "invalid_coordinates", "zero_coordinates", "duplicate",
        "future_timestamp", "poor_accuracy", "implied_speed", "ok", "out_of_order", "invalid", "invalid");
    assertThat(answer.getJsonArray("results").getJsonObject(8).getBoolean("accepted")).isTrue();
    assertThat(answer.getJsonArray("results").getJsonObject(8).getBoolean("live")).isFalse();
    Await.until("3 positions in the history", Duration.ofSeconds(10), () -> {
      try {
        return track(driver, "from=" + t.minusSeconds(1)).size() == 3;
      } catch (Exception e) {
        return false;
      }
    });

    // One position: 202 when taken, 422 with the filter's reason when not.
    assertThat(asDriver.post("/api/v1/drivers/" + driver + "/location", fix(48.8571, 2.3531, t.plusSeconds(6)))
        .status()).isEqualTo(202);
    ApiClient.Response zero = asDriver.post("/api/v1/drivers/" + driver + "/location", fix(0, 0, t.plusSeconds(7)));
    assertThat(zero.status()).isEqualTo(422);
    assertThat(zero.json().getString("error")).isEqualTo("zero_coordinates");

    // Bad requests: clear JSON errors, nothing taken.
    String other = driver();
    record Case(ApiClient client, String path, String body, int status) {}
    List<Case> cases = List.of(
        new Case(asDriver, "/api/v1/drivers/" + driver + "/location", "{", 400),
        new Case(asDriver, "/api/v1/drivers/" + driver + "/location", "{\"latitude\": 1}", 400),
        new Case(asDriver, "/api/v1/drivers/" + driver + "/location", "", 400),
        new Case(asDriver, "/api/v1/drivers/" + driver + "/locations", "{\"locations\": 5}", 400),
        new Case(asDriver, "/api/v1/drivers/" + driver + "/locations", "[]", 400),
        new Case(asDriver, "/api/v1/drivers/" + other + "/location", fix(1, 1, t).encode(), 403),
        new Case(api(1, null), "/api/v1/drivers/" + driver + "/location", fix(1, 1, t).encode(), 401),
        new Case(api(1, dispatcher), "/api/v1/drivers/nobody/location", fix(1, 1, t).encode(), 404),
        new Case(api(1, TestCluster.token("x", "dispatcher", "another")), "/api/v1/drivers/" + driver + "/location",
            fix(1, 1, t).encode(), 404),
        new Case(api(1, fx.token("c", "customer")), "/api/v1/drivers/" + driver + "/location",
            fix(1, 1, t).encode(), 403));
    for (Case c : cases) {
      ApiClient.Response resp = c.client().post(c.path(), c.body());
      assertThat(resp.status()).as(c.path() + " " + c.body()).isEqualTo(c.status());
      assertThat(resp.json().getString("error")).isNotBlank();
      assertThat(resp.json().getString("message")).isNotBlank();
    }
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 1001; i++) {
      tooMany.add(fix(48.8, 2.3, t.plusMillis(i)));
    }
    assertThat(asDriver.post("/api/v1/drivers/" + driver + "/locations", tooMany).status()).isEqualTo(400);
    Thread.sleep(500);
    assertThat(track(driver, "from=" + t.minusSeconds(1))).hasSize(4);
  }

  @Test
  void a_driver_stream_gets_one_conflated_update_with_the_newest_fix() throws Exception {
    String driver = driver();
    ApiClient asDriver = api(1, fx.token(driver, "driver"));
    try (SseTestClient stream = new SseTestClient(List.of(cluster.node(0).url()),
        "/api/v1/realtime/drivers/" + driver + "/location", dispatcher, null)) {
      Await.until("connected", Duration.ofSeconds(5), () -> !stream.frames.isEmpty());
      // A phone that buffered 100 fixes (one a second, 11 m apart) while offline.
      Instant t = Instant.now().minusSeconds(200).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      JsonArray hundred = new JsonArray();
      for (int i = 0; i < 100; i++) {
        hundred.add(fix(45.0 + i * 0.0001, 7.0, t.plusSeconds(i)));
      }
      assertThat(asDriver.post("/api/v1/drivers/" + driver + "/locations", hundred).json().getInteger("accepted"))
          .isEqualTo(100);
      Await.until("a position", Duration.ofSeconds(5), () -> positions(stream).size() == 1);
      Thread.sleep(2_500); // two more intervals: nothing else may come
      List<SseTestClient.Frame> seen = positions(stream);
      assertThat(seen).hasSize(1);
      JsonObject update = seen.get(0).json();
      assertThat(update.getString("driverId")).isEqualTo(driver);
      assertThat(update.getJsonObject("location").getDouble("latitude")).isEqualTo(45.0099);
      assertThat(update.getString("timestamp")).isEqualTo(t.plusSeconds(99).toString());
      // Live frames carry no id: the stream's Last-Event-ID stays the durable log's.
      assertThat(seen.get(0).id()).isNull();

      // 50 single posts over about a second, alternating nodes: at most one update per interval, the newest last.
      Instant t2 = Instant.now().minusSeconds(90);
      for (int i = 0; i < 50; i++) {
        api(i % 2, fx.token(driver, "driver")).post("/api/v1/drivers/" + driver + "/location",
            fix(45.01 + i * 0.0001, 7.0, t2.plusSeconds(i)));
        Thread.sleep(20);
      }
      Await.until("the newest fix", Duration.ofSeconds(5), () -> positions(stream).getLast().json()
          .getJsonObject("location").getDouble("latitude") == 45.0149);
      long singles = positions(stream).size() - 1;
      assertThat(singles).isBetween(1L, 3L);
    }
    // A client that (re)connects gets the latest position first, from either node.
    try (SseTestClient late = new SseTestClient(List.of(cluster.node(1).url()),
        "/api/v1/realtime/drivers/" + driver + "/location", dispatcher, null)) {
      Await.until("the latest position", Duration.ofSeconds(5), () -> !positions(late).isEmpty());
      assertThat(positions(late).get(0).json().getJsonObject("location").getDouble("latitude")).isEqualTo(45.0149);
      assertThat(late.frames.get(0).type()).isEqualTo("connected");
    }
  }

  @Test
  void the_fleet_stream_starts_with_a_snapshot_then_sends_only_what_moved() throws Exception {
    CommerceFixture own = new CommerceFixture(cluster.node(0).url(), null, 1);
    String[] drivers = new String[3];
    Instant t = Instant.now().minusSeconds(120);
    for (int i = 0; i < 3; i++) {
      drivers[i] = "fd-" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
      own.api.created("/api/v1/drivers", new JsonObject().put("id", drivers[i]).put("tenantId", own.tenant)
          .put("name", "D" + i));
      assertThat(api(1, own.token(drivers[i], "driver")).post("/api/v1/drivers/" + drivers[i] + "/location",
          fix(51.5 + i * 0.01, -0.12, t)).status()).isEqualTo(202);
    }
    // A driver last seen 11 minutes ago (past SB_FLEET_STALE_AFTER, 10 min): history, but no longer in the fleet.
    String stale = "fd-stale-" + UUID.randomUUID().toString().substring(0, 6);
    own.api.created("/api/v1/drivers", new JsonObject().put("id", stale).put("tenantId", own.tenant).put("name", "S"));
    assertThat(api(1, own.token(stale, "driver")).post("/api/v1/drivers/" + stale + "/location",
        fix(51.5, -0.12, Instant.now().minusSeconds(660))).status()).isEqualTo(202);
    Thread.sleep(1_500); // in Redis, and their live interval is over before the stream opens
    String ownDispatcher = own.token("disp", "dispatcher");
    try (SseTestClient fleet = new SseTestClient(List.of(cluster.node(0).url()), "/api/v1/realtime/fleet/stream",
        ownDispatcher, null)) {
      Await.until("a snapshot", Duration.ofSeconds(5), () -> fleet.frames.size() >= 2);
      assertThat(fleet.frames.get(0).type()).isEqualTo("connected");
      JsonObject snapshot = fleet.frames.get(1).json();
      assertThat(snapshot.getString("type")).isEqualTo("fleet_snapshot");
      assertThat(snapshot.getJsonArray("drivers").stream().map(d -> ((JsonObject) d).getString("driverId")))
          .containsExactlyInAnyOrder(drivers);
      int before = fleet.frames.size();
      api(1, own.token(drivers[1], "driver")).post("/api/v1/drivers/" + drivers[1] + "/location",
          fix(51.52, -0.13, t.plusSeconds(100)));
      Await.until("an update", Duration.ofSeconds(5), () -> fleet.frames.size() > before);
      JsonObject update = fleet.frames.get(before).json();
      assertThat(update.getString("type")).isEqualTo("fleet_update");
      assertThat(update.getJsonArray("drivers")).hasSize(1);
      assertThat(update.getJsonArray("drivers").getJsonObject(0).getString("driverId")).isEqualTo(drivers[1]);
      assertThat(update.getJsonArray("drivers").getJsonObject(0).getDouble("latitude")).isEqualTo(51.52);
      // Another tenant's drivers never show.
      api(1, dispatcher).post("/api/v1/drivers/" + driver() + "/location", fix(51.5, -0.1, Instant.now()));
      Thread.sleep(1_500);
      assertThat(fleet.frames.stream().skip(before + 1).filter(f -> "fleet_update".equals(f.type()))).isEmpty();
    }
    // Only the tenant's staff may watch its fleet.
    ApiClient.Response refused = api(0, own.token(drivers[0], "driver")).get("/api/v1/realtime/fleet/stream");
    assertThat(refused.status()).isEqualTo(403);

    // The latest positions, who is near, and a track as GeoJSON.
    JsonObject positions = api(0, ownDispatcher).get("/api/v1/fleet/positions").json();
    assertThat(positions.getInteger("count")).isEqualTo(3);
    JsonObject near = api(1, ownDispatcher).get("/api/v1/fleet/nearby?lat=51.5&lon=-0.12&radiusM=1500").json();
    assertThat(near.getJsonArray("drivers").stream().map(d -> ((JsonObject) d).getString("driverId")))
        .containsExactly(drivers[0]);
    assertThat(near.getJsonArray("drivers").getJsonObject(0).getDouble("distanceM")).isLessThan(1.0);
    JsonObject wide = api(1, ownDispatcher).get("/api/v1/fleet/nearby?lat=51.5&lon=-0.12&radiusM=5000").json();
    assertThat(wide.getJsonArray("drivers").stream().map(d -> ((JsonObject) d).getString("driverId")))
        .containsExactly(drivers[0], drivers[2], drivers[1]); // 2.2 km, then 2.3 km (driver 1 moved west)
    assertThat(api(1, ownDispatcher).get("/api/v1/fleet/nearby?lat=91&lon=0").status()).isEqualTo(400);
    assertThat(api(1, ownDispatcher).get("/api/v1/fleet/nearby?lon=0").status()).isEqualTo(400);
    assertThat(api(1, own.token(drivers[0], "driver")).get("/api/v1/fleet/positions").status()).isEqualTo(403);
    Await.until("2 points of driver 1 in the history", Duration.ofSeconds(5), () -> {
      try {
        return api(0, ownDispatcher).get("/api/v1/drivers/" + drivers[1] + "/track?from=" + t.minusSeconds(1)
            + "&format=geojson").json().getJsonObject("geometry").getJsonArray("coordinates").size() == 2;
      } catch (Exception e) {
        return false;
      }
    });
    ApiClient.Response geo = api(0, ownDispatcher).get("/api/v1/drivers/" + drivers[1] + "/track?from="
        + t.minusSeconds(1) + "&format=geojson");
    assertThat(geo.header("Content-Type")).isEqualTo("application/geo+json");
    assertThat(geo.json().getJsonObject("geometry").getString("type")).isEqualTo("LineString");
    assertThat(geo.json().getJsonObject("geometry").getJsonArray("coordinates").getJsonArray(1))
        .containsExactly(-0.13, 51.52);
    assertThat(api(0, ownDispatcher).get("/api/v1/drivers/" + drivers[1] + "/track?from=yesterday").status())
        .isEqualTo(400);
  }

  @Test
  void arrival_at_a_stop_and_etas_are_events_of_the_log() throws Exception {
    String driver = driver();
    String o1 = "o-" + UUID.randomUUID();
    String o2 = "o-" + UUID.randomUUID();
    String run = "r-" + UUID.randomUUID();
    for (String o : List.of(o1, o2)) {
      fx.order(o, 1);
      fx.api.post("/api/v1/orders/" + o + "/payments", new JsonObject().put("status", "paid"));
      fx.status(o, "preparing");
      fx.status(o, "ready");
    }
    JsonObject created = fx.api.created("/api/v1/runs", new JsonObject().put("id", run).put("tenantId", fx.tenant)
        .put("driverId", driver)
        .put("stops", new JsonArray()
            .add(new JsonObject().put("orderId", o1).put("address", "Stop 1").put("lat", 43.6500).put("lon", -79.3800))
            .add(new JsonObject().put("orderId", o2).put("address", "Stop 2").put("lat", 43.6600).put("lon", -79.3900))));
    String stop1 = created.getJsonArray("stops").getJsonObject(0).getString("id");
    assertThat(fx.api.post("/api/v1/runs/" + run + "/start", null).status()).isEqualTo(200);
    Thread.sleep(700); // the watchers reload the active runs

    try (SseTestClient runStream = new SseTestClient(List.of(cluster.node(0).url()),
             "/api/v1/realtime/runs/" + run + "/stream", dispatcher, null);
         SseTestClient orderStream = new SseTestClient(List.of(cluster.node(0).url()),
             "/api/v1/realtime/orders/" + o1 + "/stream", dispatcher, null)) {
      Await.until("connected", Duration.ofSeconds(5), () -> !runStream.frames.isEmpty()
          && !orderStream.frames.isEmpty());
      ApiClient asDriver = api(1, fx.token(driver, "driver"));
      // About 1.7 km from stop 1, driving at 30 km/h (fixed 4 minutes ago, so the next fix is a plausible drive).
      asDriver.post("/api/v1/drivers/" + driver + "/location", fix(43.6350, -79.3800,
          Instant.now().minusSeconds(240)));
      Await.until("an ETA on the run", Duration.ofSeconds(5), () -> runStream.events().stream()
          .anyMatch(f -> f.json().getJsonObject("data").getJsonArray("stops").getJsonObject(0).getString("eta") != null));
      Await.until("an ETA on the order", Duration.ofSeconds(5), () -> orderStream.events().stream()
          .anyMatch(f -> f.json().getJsonObject("data").getString("estimatedArrival") != null));
      String eta = orderStream.events().stream().map(f -> f.json().getJsonObject("data").getString("estimatedArrival"))
          .filter(java.util.Objects::nonNull).findFirst().orElseThrow();
      // 1.7 km at 30 km/h: about 3.3 minutes.
      long seconds = Duration.between(Instant.now(), Instant.parse(eta)).toSeconds();
      assertThat(seconds).isBetween(120L, 300L);

      // Within 100 m of stop 1: arrived, once, however often the driver posts there.
      Instant at = Instant.now();
      asDriver.post("/api/v1/drivers/" + driver + "/location", fix(43.6502, -79.3801, at));
      asDriver.post("/api/v1/drivers/" + driver + "/location", fix(43.6501, -79.3800, at.plusSeconds(1)));
      Await.until("the arrival on the order", Duration.ofSeconds(5), () -> orderStream.events().stream()
          .anyMatch(f -> f.json().getJsonObject("data").getString("actualArrival") != null));
      JsonObject arrival = orderStream.events().stream().map(SseTestClient.Frame::json)
          .filter(j -> j.getJsonObject("data").getString("actualArrival") != null).findFirst().orElseThrow();
      assertThat(arrival.getString("type")).isEqualTo("order_update");
      assertThat(arrival.getJsonObject("data").getString("actualArrival")).isEqualTo(at.toString()
          .replaceAll("(\\.\\d{3})\\d*Z", "$1Z"));
      Await.until("the arrival on the run", Duration.ofSeconds(5), () -> runStream.events().stream()
          .anyMatch(f -> stop1.equals(f.json().getJsonObject("data").getString("stopId"))
              && f.json().getJsonObject("data").getJsonArray("stops").getJsonObject(0).getString("arrivedAt") != null));
      Thread.sleep(1_000);
      long arrivals = orderStream.events().stream()
          .filter(f -> f.json().getJsonObject("data").getString("actualArrival") != null).count();
      assertThat(arrivals).isEqualTo(1);
      // Durable events: numbered, so a reconnecting console misses none.
      assertThat(runStream.events()).allMatch(f -> f.id() != null);
    }
  }

  private static List<SseTestClient.Frame> positions(SseTestClient stream) {
    return stream.frames.stream().filter(f -> "driver_location".equals(f.type())).toList();
  }
}
