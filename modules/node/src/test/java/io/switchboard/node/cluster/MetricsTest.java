package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Prometheus metrics on each node's management port, and not on its public one. */
class MetricsTest {

  private static final Pattern SERIES = Pattern.compile("\\b(?:switchboard|vertx)_[a-z_]+");

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static String get(NodeProcess node) {
    return MetricsScrape.of(node);
  }

  private static double value(String metrics, String series) {
    return MetricsScrape.value(metrics, series);
  }

  /** The metric names in the expressions of deploy/grafana/switchboard-dashboard.json. */
  private static Set<String> dashboardSeries() throws IOException {
    String json = Files.readString(Path.of("..", "..", "deploy", "grafana", "switchboard-dashboard.json"));
    Set<String> names = new TreeSet<>();
    for (Object panel : new JsonObject(json).getJsonArray("panels")) {
      for (Object target : ((JsonObject) panel).getJsonArray("targets")) {
        Matcher m = SERIES.matcher(((JsonObject) target).getString("expr"));
        while (m.find()) {
          names.add(m.group());
        }
      }
    }
    return names;
  }

  private static JsonObject fix(double lat, double lon, Instant at) {
    return new JsonObject().put("latitude", lat).put("longitude", lon).put("accuracy", 8).put("timestamp", at.toString());
  }

  @Test
  void a_node_reports_its_streams_its_relay_role_and_vertx_s_own_metrics_on_the_management_port_only()
      throws Exception {
    try (TestCluster cluster = TestCluster.start("metrics", 1, Map.of())) {
      NodeProcess node = cluster.node(0);
      Await.until("the relay leader", Duration.ofSeconds(10), () -> value(get(node),
          "switchboard_relay_leader") == 1.0);
      try (SseTestClient stream = new SseTestClient(List.of(node.url()), "channel=tenant:t1:metrics",
          cluster.dispatcherToken, null)) {
        Await.until("the stream open", Duration.ofSeconds(10), () -> !stream.frames.isEmpty());
        cluster.publish(node, "tenant:t1:metrics", "m", new JsonObject());
        Await.until("the event numbered", Duration.ofSeconds(10),
            () -> value(get(node), "switchboard_feed_head") >= 1.0);
        Await.until("the event delivered", Duration.ofSeconds(10), () -> stream.events().size() == 1);
        // A second stream resumes from before the event (from memory), and a request without a token is refused.
        try (SseTestClient resumed = new SseTestClient(List.of(node.url()), "channel=tenant:t1:metrics",
            cluster.dispatcherToken, "0")) {
          Await.until("the replay", Duration.ofSeconds(10), () -> resumed.events().size() == 1);
        }
        HTTP.send(HttpRequest.newBuilder(URI.create(node.url() + "/api/v1/realtime/stream?channel=tenant:t1:x"))
            .build(), HttpResponse.BodyHandlers.discarding());
        String metrics = get(node);
        assertThat(value(metrics, "switchboard_subscribers")).isEqualTo(1.0);
        assertThat(value(metrics, "switchboard_streams{family=\"core\",transport=\"sse\"}")).isEqualTo(1.0);
        assertThat(value(metrics, "switchboard_streams{family=\"socketio\",transport=\"socketio\"}")).isEqualTo(0.0);
        assertThat(value(metrics, "switchboard_bridge_leader")).isEqualTo(1.0);
        assertThat(value(metrics, "switchboard_deliveries_total")).isEqualTo(1.0);
        assertThat(value(metrics, "switchboard_delivered_bytes_total")).isGreaterThan(20.0);
        assertThat(value(metrics, "switchboard_outbox_depth")).isEqualTo(0.0);
        assertThat(value(metrics, "switchboard_resumes_total{source=\"memory\"}")).isEqualTo(1.0);
        assertThat(value(metrics, "switchboard_resume_replayed_events_total")).isEqualTo(1.0);
        assertThat(value(metrics, "switchboard_refusals_total{error=\"unauthorized\",status=\"401\"}")).isEqualTo(1.0);
        assertThat(value(metrics, "switchboard_relay_lag_seconds_count")).isGreaterThanOrEqualTo(1.0);
        assertThat(value(metrics, "switchboard_feed_lag_seconds_count")).isGreaterThanOrEqualTo(1.0);
        assertThat(metrics).contains("switchboard_feed_lag_seconds_bucket{le=");
        // Every series the shipped Grafana dashboard queries exists on a node (bridge and Socket.IO ones included).
        assertThat(dashboardSeries()).isNotEmpty().allSatisfy(series -> assertThat(metrics)
            .as("the dashboard queries " + series).containsPattern("(?m)^" + series + "[ {]"));
        assertThat(metrics).contains("vertx_http_server_active_connections")
            .contains("vertx_eventbus_handlers").contains("vertx_pool_completed_total{pool_type=\"sql\"}")
            .contains("switchboard_slow_consumer_disconnects_total");
        // Bounded labels only: no path, no event-bus address.
        assertThat(metrics).doesNotContain("path=\"").doesNotContain("address=\"");
      }
      // GPS: one fix taken live, one older (history only), one off the planet, counted by outcome and reason.
      CommerceFixture fx = new CommerceFixture(node.url(), null, 1);
      fx.api.created("/api/v1/drivers", new JsonObject().put("id", "d-metrics").put("tenantId", fx.tenant)
          .put("name", "Dana"));
      Instant t = Instant.now().minusSeconds(10);
      ApiClient asDriver = new ApiClient(node.url(), fx.token("d-metrics", "driver"));
      assertThat(asDriver.post("/api/v1/drivers/d-metrics/locations", new JsonObject().put("locations", new JsonArray()
          .add(fix(48.8566, 2.3522, t)).add(fix(48.8565, 2.3521, t.minusSeconds(1))).add(fix(91, 2.35, t))))
          .status()).isEqualTo(200);
      Await.until("the positions written", Duration.ofSeconds(10),
          () -> value(get(node), "switchboard_history_write_lag_seconds_count") >= 1.0);
      String gps = get(node);
      assertThat(value(gps, "switchboard_gps_fixes_total{outcome=\"live\",reason=\"none\"}")).isEqualTo(1.0);
      assertThat(value(gps, "switchboard_gps_fixes_total{outcome=\"history_only\",reason=\"out_of_order\"}"))
          .isEqualTo(1.0);
      assertThat(value(gps, "switchboard_gps_fixes_total{outcome=\"rejected\",reason=\"invalid_coordinates\"}"))
          .isEqualTo(1.0);
      assertThat(value(gps, "switchboard_history_buffered")).isEqualTo(0.0);
      HttpResponse<String> publicPort = HTTP.send(HttpRequest.newBuilder(URI.create(node.url() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(publicPort.statusCode()).isEqualTo(404);
    }
  }
}
