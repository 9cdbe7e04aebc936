package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatcher console in a real headless Chromium, against real clusters behind nginx: what a dispatcher sees
 * and that it stays right across a node's death. No tile server is reachable here: the map runs on its plain
 * background (SB_CONSOLE_TILE_URL empty), as it must without the internet.
 */
class ConsoleInBrowserTest {

  private static final Path ARTIFACTS = Path.of("target", "console-e2e");
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void a_dispatcher_signs_in_and_sees_drivers_move_runs_progress_order_changes_within_a_second_and_toasts()
      throws Exception {
    String tenant = "console-a";
    // A tile server that refuses every request: the map must still work on its plain background.
    try (TestCluster cluster = TestCluster.start("console-live", 2, Map.of(
        "SB_CONSOLE_TILE_URL", "http://127.0.0.1:9/{z}/{x}/{y}.png",
        "SB_DEV_SIGNIN", "true", "SB_DEV_SIGNIN_TENANT", tenant));
         NginxBalancer lb = NginxBalancer.start("console-live", cluster.nodes);
         Browser browser = Browser.launch();
         MovingDrivers drivers = new MovingDrivers(lb.url(), tenant, 3)) {
      CommerceFixture fx = new CommerceFixture(lb.url(), null, 8, tenant);
      drivers.create(fx.api);
      fx.order("o-run", 1);
      fx.api.post("/api/v1/orders/o-run/payments", new JsonObject().put("status", "paid"));
      fx.status("o-run", "preparing");
      fx.status("o-run", "ready");
      fx.api.created("/api/v1/runs", new JsonObject().put("id", "run-1").put("tenantId", tenant).put("name", "Morning")
          .put("driverId", drivers.id(0)).put("stops", new JsonArray().add(new JsonObject().put("orderId", "o-run")
              .put("address", "Unter den Linden 1").put("lat", 52.517).put("lon", 13.388))));
      assertThat(fx.api.post("/api/v1/runs/run-1/start", new JsonObject()).status()).isEqualTo(200);
      fx.order("o-watch", 1);
      drivers.start();

      browser.open(lb.url() + "/console/");
      browser.waitFor("the sign-in form", "!document.getElementById('signin').hidden", WAIT);
      browser.fill("#token", "not-a-token");
      browser.click("#signin-token");
      browser.waitFor("an error for a bad token", "document.getElementById('signin-error').textContent.length > 0", WAIT);
      browser.click("#signin-dev");
      browser.waitFor("the stream to be live", "window.switchboardConsole.state === 'live'", WAIT);
      assertThat(browser.text("#tenant")).contains(tenant);

      browser.waitFor("every driver on the map", "window.switchboardConsole.driverCount() === 3", WAIT);
      JsonObject first = (JsonObject) browser.eval("window.switchboardConsole.driverPosition('" + drivers.id(1) + "')");
      browser.waitFor("the driver to move", "window.switchboardConsole.driverPosition('" + drivers.id(1)
          + "').latitude !== " + first.getDouble("latitude"), WAIT);
      browser.waitFor("it to move again", "window.switchboardConsole.events > 4", WAIT);
      assertThat(browser.eval("window.switchboardConsole.markersCreated()")).as("markers moved, never re-created")
          .isEqualTo(3);

      browser.waitFor("the run on the board", "document.querySelector('tr[data-run-id=\"run-1\"]')", WAIT);
      assertThat(browser.text("tr[data-run-id=\"run-1\"] .driver")).isEqualTo(drivers.id(0));
      assertThat(browser.text("tr[data-run-id=\"run-1\"] .stops")).isEqualTo("0/1");
      assertThat(browser.text("tr[data-run-id=\"run-1\"] .status")).isEqualTo("in progress");
      fx.api.post("/api/v1/runs/run-1/stops/" + fx.api.get("/api/v1/runs/run-1").json().getJsonArray("stops")
          .getJsonObject(0).getString("id") + "/complete", new JsonObject());
      browser.waitFor("the stop done", "document.querySelector('tr[data-run-id=\"run-1\"] .stops')"
          + ".textContent === '1/1'", WAIT);

      browser.waitFor("the order in the list", "document.querySelector('li[data-order-id=\"o-watch\"]')", WAIT);
      long before = System.nanoTime();
      fx.status("o-watch", "confirmed");
      browser.waitFor("the status change within a second", "document.querySelector("
          + "'li[data-order-id=\"o-watch\"] .status').textContent === 'confirmed'", Duration.ofSeconds(1));
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));

      fx.order("o-new", 1);
      browser.waitFor("a toast for the new order", "[...document.querySelectorAll('.toast[data-kind=order]')]"
          + ".some(t => t.textContent.includes('New order'))", Duration.ofSeconds(2));
      fx.order("o-big", 2); // available 8 - 1 - 1 - 1 = 5, then 3 < 5: low stock
      browser.waitFor("a low-stock toast", "[...document.querySelectorAll('.toast[data-kind=stock]')]"
          + ".some(t => t.textContent.includes('Red roses'))", Duration.ofSeconds(2));

      // Select a driver on the map: its details, its run, its trail from history.
      JsonObject point = (JsonObject) browser.eval("window.switchboardConsole.driverPoint('" + drivers.id(0) + "')");
      browser.clickAt(point.getDouble("x"), point.getDouble("y"));
      browser.waitFor("the driver's details", "!document.getElementById('driver').hidden"
          + " && document.querySelector('#driver-details [data-field=run]')?.textContent.includes('Morning')", WAIT);
      browser.waitFor("its trail", "window.switchboardConsole.trailPoints() > 1", WAIT);

      browser.screenshot(ARTIFACTS.resolve("console.png"));
      assertThat(browser.pageErrors()).isEmpty();
    }
  }

  @Test
  void the_run_board_marks_a_run_late_when_its_next_eta_has_passed_or_slipped_five_minutes() throws Exception {
    try (TestCluster cluster = TestCluster.start("console-late", 1, Map.of("SB_CONSOLE_TILE_URL", ""));
         Browser browser = Browser.launch()) {
      browser.open(cluster.node(0).url() + "/console/");
      // The page's own RunBoard, on a table of its own, fed runs as the API and the stream show them.
      Object late = browser.eval("""
          (async () => {
            const { RunBoard } = await import('./js/run-board.js');
            const board = new RunBoard(document.createElement('tbody'), document.createElement('span'));
            const run = (id, version, eta, arrivedAt = null) => ({ id, version, name: id, status: 'in_progress',
              driverId: 'd', completedStops: 0, totalStops: 1,
              stops: [{ id: id + '-s', status: 'pending', eta: new Date(eta).toISOString(), arrivedAt }] });
            const now = Date.now();
            board.apply(run('on-time', 1, now + 10 * 60_000));
            board.apply(run('overdue', 1, now - 2 * 60_000));
            board.apply(run('arrived', 1, now - 2 * 60_000, new Date(now).toISOString()));
            board.apply(run('slipped', 1, now + 5 * 60_000));
            board.apply(run('slipped', 1, now + 11 * 60_000));
            board.apply(run('stale', 2, now + 5 * 60_000));
            board.apply(run('stale', 1, now - 30 * 60_000));
            const rows = [...board.tbody.querySelectorAll('tr')];
            return Object.fromEntries(rows.map(r => [r.dataset.runId, r.classList.contains('late')]));
          })()""");
      assertThat(((JsonObject) late).getMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
          "on-time", false, "overdue", true, "arrived", false, "slipped", true,
          "stale", false)); // an older version than the one shown is ignored
    }
  }

  @Test
  void killing_the_node_serving_the_console_shows_reconnecting_then_live_and_no_order_update_is_missed_nor_while_offline()
      throws Exception {
    String tenant = "console-b";
    try (TestCluster cluster = TestCluster.start("console-failover", 3, Map.of("SB_CONSOLE_TILE_URL", ""));
         NginxBalancer lb = NginxBalancer.start("console-failover", cluster.nodes);
         Browser browser = Browser.launch()) {
      CommerceFixture fx = new CommerceFixture(lb.url(), null, 1000, tenant);
      List<String> orders = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        fx.order("o-" + i, 1);
        orders.add("o-" + i);
      }

      browser.open(lb.url() + "/console/");
      browser.eval("""
          (() => { window.__fetches = []; const f = window.fetch;
            window.fetch = (u, o) => { window.__fetches.push({url: String(u), auth: !!(o && o.headers && o.headers.Authorization)});
              return f(u, o); }; return true; })()""");
      browser.fill("#token", TestCluster.token("desk", "dispatcher", tenant));
      browser.click("#signin-token");
      browser.waitFor("the stream to be live", "window.switchboardConsole.state === 'live'", WAIT);
      browser.waitFor("the orders listed", "document.querySelectorAll('#orders li').length === 8", WAIT);
      // The stream is the client package's fetch with the token in its Authorization header: no credential in its
      // URL, no ticket bought (the page's fetch was wrapped before signing in, to see what it sends).
      Object streams = browser.eval("""
          JSON.stringify(window.__fetches.filter(f => f.url.includes('/api/v1/realtime/')))""");
      assertThat(streams.toString()).contains("/api/v1/realtime/stream?").contains("\"auth\":true")
          .doesNotContain("\"auth\":false").doesNotContain("ticket").doesNotContain("token=");
      String serving = (String) browser.eval("window.switchboardConsole.node");
      int servingIndex = Integer.parseInt(serving.substring("node-".length())) - 1;
      List<NodeProcess> survivors = new ArrayList<>(cluster.nodes);
      survivors.remove(servingIndex);

      // Order updates keep coming through the surviving nodes while the serving one dies.
      List<String> steps = List.of("confirmed", "preparing", "ready", "cancelled");
      Map<String, List<String>> made = new LinkedHashMap<>();
      orders.forEach(o -> made.put(o, new ArrayList<>()));
      AtomicInteger step = new AtomicInteger();
      ScheduledExecutorService updates = Executors.newSingleThreadScheduledExecutor();
      updates.scheduleAtFixedRate(() -> {
        int n = step.getAndIncrement();
        if (n >= orders.size() * steps.size()) {
          return;
        }
        String order = orders.get(n % orders.size());
        String status = steps.get(n / orders.size());
        try {
          ApiClient api = new ApiClient(survivors.get(n % 2).url(), fx.serviceToken);
          int code = api.patch("/api/v1/orders/" + order, new JsonObject().put("status", status)).status();
          if (code == 200) {
            made.get(order).add(status);
          }
        } catch (Exception e) {
          // counted as not made: the comparison below shows it
        }
      }, 0, 60, TimeUnit.MILLISECONDS);
      try {
        Await.until("a few updates", WAIT, () -> step.get() >= 6);
        cluster.node(servingIndex).kill();
        browser.waitFor("reconnecting shown", "window.switchboardConsole.states.includes('reconnecting')", WAIT);
        browser.waitFor("live again on another node", "window.switchboardConsole.state === 'live'"
            + " && window.switchboardConsole.node !== '" + serving + "'", Duration.ofSeconds(15));
        Await.until("every update made", Duration.ofSeconds(20), () -> step.get() >= orders.size() * steps.size() + 1);
      } finally {
        updates.shutdown();
        updates.awaitTermination(5, TimeUnit.SECONDS);
      }
      int total = made.values().stream().mapToInt(List::size).sum();
      assertThat(total).as("updates the API took").isEqualTo(orders.size() * steps.size());
      browser.waitFor("every update shown", "window.switchboardConsole.orderLog"
          + ".filter(e => e.type !== 'order.created').length >= " + total, WAIT);

      JsonArray log = (JsonArray) browser.eval("window.switchboardConsole.orderLog");
      Map<String, List<String>> seen = new LinkedHashMap<>();
      orders.forEach(o -> seen.put(o, new ArrayList<>()));
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < log.size(); i++) {
        JsonObject e = log.getJsonObject(i);
        ids.add(e.getLong("id"));
        if (!"order.created".equals(e.getString("type")) && seen.containsKey(e.getString("orderId"))) {
          seen.get(e.getString("orderId")).add(e.getString("status"));
        }
      }
      assertThat(seen).as("every order's updates, each once, in order").isEqualTo(made);
      assertThat(ids).as("event ids increase: nothing twice").isSortedAccordingTo(Long::compare)
          .doesNotHaveDuplicates();
      for (String order : orders) {
        assertThat(browser.text("li[data-order-id=\"" + order + "\"] .status")).isEqualTo("cancelled");
      }
      List<Object> states = ((JsonArray) browser.eval("window.switchboardConsole.states")).getList();
      assertThat(states).containsSubsequence("live", "reconnecting", "live");
      browser.screenshot(ARTIFACTS.resolve("console-after-failover.png"));

      // No network: Offline at once; what changes meanwhile shows when the network is back.
      browser.offline(true);
      browser.waitFor("offline shown", "window.switchboardConsole.state === 'offline'"
          + " && document.getElementById('status').textContent.includes('Offline')", WAIT);
      fx.order("o-while-offline", 1);
      Thread.sleep(500);
      assertThat(browser.eval("!!document.querySelector('li[data-order-id=\"o-while-offline\"]')")).isEqualTo(false);
      browser.offline(false);
      browser.waitFor("live again", "window.switchboardConsole.state === 'live'", WAIT);
      browser.waitFor("the order made while offline", "document.querySelector("
          + "'li[data-order-id=\"o-while-offline\"]')", WAIT);
      assertThat(browser.pageErrors()).isEmpty();
    }
  }

  /** Drivers of the tenant posting positions every 300 ms through the load balancer, moving about 60 km/h. */
  static final class MovingDrivers implements AutoCloseable {

    private final String url;
    private final String tenant;
    private final int count;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private ApiClient api;
    private int tick;

    MovingDrivers(String url, String tenant, int count) {
      this.url = url;
      this.tenant = tenant;
      this.count = count;
    }

    String id(int i) {
      return tenant + "-driver-" + i;
    }

    void create(ApiClient staff) throws Exception {
      for (int i = 0; i < count; i++) {
        staff.created("/api/v1/drivers", new JsonObject().put("id", id(i)).put("tenantId", tenant)
            .put("name", "Driver " + i));
      }
      api = new ApiClient(url, TestCluster.token("backend", "service", tenant));
    }

    void start() {
      timer.scheduleAtFixedRate(this::post, 0, 300, TimeUnit.MILLISECONDS);
    }

    private void post() {
      int t = tick++;
      for (int i = 0; i < count; i++) {
        JsonObject fix = new JsonObject().put("latitude", 52.50 + i * 0.01 + t * 0.00005).put("longitude", 13.40 + i * 0.01)
            .put("heading", 0).put("speed", 60).put("accuracy", 5).put("timestamp", Instant.now().toString());
        try {
          api.post("/api/v1/drivers/" + id(i) + "/location", fix);
        } catch (Exception e) {
          // the next tick tries again
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      timer.shutdownNow();
      timer.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
