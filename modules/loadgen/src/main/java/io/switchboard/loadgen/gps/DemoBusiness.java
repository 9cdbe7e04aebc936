package io.switchboard.loadgen.gps;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The local cluster's demo business, so the dispatcher console shows a living tenant at once: a florist whose orders
 * are delivered on runs by the first simulated drivers. Each run's stops lie where its driver will be in one, two
 * and three minutes, so the GPS ingest sees the arrivals and sends ETAs; the demo then completes the stop (the
 * order is delivered) and, when the run is done, starts another. A walk-in order arrives every 20 s (a toast) and
 * the small stock runs low now and then (another toast) before it is restocked. Everything goes through the public
 * API, as a shop's backend would.
 */
final class DemoBusiness {

  private static final String SHOP = "demo-florist";
  private static final String VARIANT = "demo-tulips";
  private static final String CUSTOMER = "demo-customer";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "demo-business");
    t.setDaemon(true);
    return t;
  });
  private final URI node;
  private final String token;
  private final String tenant;
  private final Route[] routes;
  private final int runs;
  private boolean ready;
  private long ticks;
  private int nextOrder;

  DemoBusiness(URI node, String token, String tenant, Route[] routes, int runs) {
    this.node = node;
    this.token = token;
    this.tenant = tenant;
    this.routes = routes;
    this.runs = Math.min(runs, routes.length);
    this.nextOrder = (int) (System.currentTimeMillis() / 1000 % 100_000) * 10;
  }

  void start() {
    timer.scheduleWithFixedDelay(this::tick, 0, 5, TimeUnit.SECONDS);
  }

  private void tick() {
    try {
      if (!ready) {
        setUp();
        ready = true;
      }
      keepRunsGoing();
      if (ticks++ % 4 == 0) {
        walkInOrder();
      }
    } catch (Exception e) {
      System.err.println("[demo] " + e.getMessage() + "; trying again in 5 s");
    }
  }

  private void setUp() throws Exception {
    post("/api/v1/customers", new JsonObject().put("id", CUSTOMER).put("tenantId", tenant)
        .put("email", "anna@example.com").put("name", "Anna"));
    post("/api/v1/shops", new JsonObject().put("id", SHOP).put("tenantId", tenant).put("name", "Demo florist"));
    post("/api/v1/variants", new JsonObject().put("id", VARIANT).put("shopId", SHOP).put("productName", "Tulips")
        .put("variantName", "bunch of 10").put("price", 12.5).put("stockQuantity", 12).put("lowStockThreshold", 5));
  }

  /** Every demo driver has an active run; arrived stops are completed; finished runs are closed. */
  private void keepRunsGoing() throws Exception {
    JsonArray active = get("/api/v1/runs?status=active&limit=200").getJsonArray("runs");
    List<String> busy = new ArrayList<>();
    for (int i = 0; i < active.size(); i++) {
      JsonObject run = active.getJsonObject(i);
      if (!run.getString("id").startsWith("demo-run-")) {
        continue;
      }
      busy.add(run.getString("driverId"));
      boolean pending = false;
      for (Object o : run.getJsonArray("stops")) {
        JsonObject stop = (JsonObject) o;
        if ("completed".equals(stop.getString("status"))) {
          continue;
        }
        if (stop.getValue("arrivedAt") != null) {
          post("/api/v1/runs/" + run.getString("id") + "/stops/" + stop.getString("id") + "/complete", new JsonObject());
        } else {
          pending = true;
        }
      }
      if (!pending) {
        post("/api/v1/runs/" + run.getString("id") + "/complete", new JsonObject());
      }
    }
    for (int d = 0; d < runs; d++) {
      if (!busy.contains(DriverSimulator.driverId(d))) {
        newRun(d);
      }
    }
  }

  private void newRun(int driver) throws Exception {
    long now = System.currentTimeMillis();
    String runId = "demo-run-" + driver + "-" + now / 1000;
    JsonArray stops = new JsonArray();
    for (int s = 1; s <= 3; s++) {
      String order = order(true);
      double[] at = routes[driver].at(now + s * 60_000L);
      stops.add(new JsonObject().put("orderId", order).put("address", "Stop " + s + " of driver " + driver)
          .put("lat", at[0]).put("lon", at[1]));
    }
    post("/api/v1/runs", new JsonObject().put("id", runId).put("tenantId", tenant)
        .put("name", "Run " + (char) ('A' + driver % 26) + (now / 1000 % 1000))
        .put("driverId", DriverSimulator.driverId(driver)).put("stops", stops));
    post("/api/v1/runs/" + runId + "/start", new JsonObject());
  }

  private void walkInOrder() throws Exception {
    order(false);
  }

  /** The florist restocks only when nearly sold out, so the stock crosses its low threshold now and then. */
  private void restockIfNeeded() throws Exception {
    JsonObject variant = get("/api/v1/variants/" + VARIANT);
    if (variant.getInteger("available", 0) < 2) {
      post("/api/v1/variants/" + VARIANT + "/stock/adjustments", new JsonObject().put("change", 15)
          .put("reason", "restock"));
    }
  }

  /** A new order; one for a run is paid and prepared until ready, so starting the run sends it out. */
  private String order(boolean forRun) throws Exception {
    restockIfNeeded();
    String id = "demo-order-" + nextOrder++;
    post("/api/v1/orders", new JsonObject().put("id", id).put("shopId", SHOP).put("customerId", CUSTOMER)
        .put("items", new JsonArray().add(new JsonObject().put("variantId", VARIANT).put("quantity", 1))));
    if (forRun) {
      post("/api/v1/orders/" + id + "/payments", new JsonObject().put("status", "paid"));
      patch("/api/v1/orders/" + id, new JsonObject().put("status", "preparing"));
      patch("/api/v1/orders/" + id, new JsonObject().put("status", "ready"));
    }
    return id;
  }

  private JsonObject get(String path) throws Exception {
    return send(HttpRequest.newBuilder(node.resolve(path)).GET());
  }

  private JsonObject post(String path, JsonObject body) throws Exception {
    return send(HttpRequest.newBuilder(node.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  private JsonObject patch(String path, JsonObject body) throws Exception {
    return send(HttpRequest.newBuilder(node.resolve(path))
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  /** 2xx, or 409 {@code already_exists} (a restarted demo); anything else is reported. */
  private JsonObject send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    boolean exists = r.statusCode() == 409 && r.body().contains("\"already_exists\"");
    if (r.statusCode() / 100 != 2 && !exists) {
      throw new IllegalStateException(r.request().method() + " " + r.request().uri().getPath() + " answered "
          + r.statusCode() + ": " + r.body());
    }
    return r.body().isBlank() || !r.body().startsWith("{") ? new JsonObject() : new JsonObject(r.body());
  }
}
