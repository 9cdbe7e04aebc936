package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Prometheus scrapes a running cluster: the values it stores are the cluster's (streams open, deliveries
 * rising, one relay leader), and every query of the shipped Grafana dashboard runs and returns data.
 */
class PrometheusTest {

  @Test
  void prometheus_scrapes_every_node_and_the_dashboard_s_queries_return_the_cluster_s_real_values()
      throws Exception {
    try (TestCluster cluster = TestCluster.start("prometheus", 2, Map.of());
         PrometheusServer prometheus = PrometheusServer.scraping("prometheus", cluster.nodes);
         SseTestClient a = new SseTestClient(List.of(cluster.node(0).url()), "channel=tenant:t1:prom",
             cluster.dispatcherToken, null);
         SseTestClient b = new SseTestClient(List.of(cluster.node(1).url()), "channel=tenant:t1:prom",
             cluster.dispatcherToken, null);
         SseTestClient c = new SseTestClient(List.of(cluster.node(1).url()), "channel=tenant:t1:prom",
             cluster.dispatcherToken, null)) {
      Await.until("both nodes scraped", Duration.ofSeconds(20), () -> sample(prometheus, "sum(up{job=\"switchboard\"})") == 2);

      AtomicBoolean publishing = new AtomicBoolean(true);
      Thread publisher = Thread.ofVirtual().start(() -> {
        for (int n = 0; publishing.get(); n++) {
          try {
            cluster.publish(cluster.node(n % 2), "tenant:t1:prom", "p", new JsonObject().put("n", n));
            Thread.sleep(50);
          } catch (Exception e) {
            return;
          }
        }
      });
      try {
        Await.until("three streams, as Prometheus stored them", Duration.ofSeconds(20),
            () -> sample(prometheus, "sum(switchboard_subscribers)") == 3);
        String second = "switchboard_subscribers{instance=\"" + authority(cluster.node(1)) + "\"}";
        assertThat(sample(prometheus, second)).as(second + ": " + results(prometheus, second) + " of "
            + results(prometheus, "switchboard_subscribers")).isEqualTo(2);
        assertThat(sample(prometheus, "sum(switchboard_streams{transport=\"sse\",family=\"core\"})")).isEqualTo(3);
        Await.until("deliveries rising", Duration.ofSeconds(20),
            () -> sample(prometheus, "sum(rate(switchboard_deliveries_total[5s]))") > 10);
        double delivered = sample(prometheus, "sum(switchboard_deliveries_total)");
        Await.until("more deliveries at the next scrapes", Duration.ofSeconds(10),
            () -> sample(prometheus, "sum(switchboard_deliveries_total)") > delivered);
        assertThat(sample(prometheus, "sum(switchboard_relay_leader)")).as("exactly one leader").isEqualTo(1);
        assertThat(sample(prometheus, "min(switchboard_feed_head)")).isGreaterThan(0);
        assertThat(sample(prometheus, "sum(rate(switchboard_delivered_bytes_total[5s]))")).isGreaterThan(0);
        // A stream without a token: refused, and counted by reason.
        java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
            cluster.node(0).url() + "/api/v1/realtime/stream?channel=tenant:t1:prom")).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
        Await.until("the refusal scraped", Duration.ofSeconds(10), () -> sample(prometheus,
            "sum(switchboard_refusals_total{status=\"401\",error=\"unauthorized\"})") == 1);

        // Every query of the Grafana dashboard, as Grafana would send it, over the last minute.
        // (A rate needs two samples of a series: one that appeared at the last scrape has data at the next.)
        for (String expr : dashboardQueries()) {
          String recent = expr.replace("[5m]", "[30s]").replace("[1m]", "[10s]");
          Await.until("data for the dashboard's " + expr, Duration.ofSeconds(10),
              () -> !results(prometheus, recent).isEmpty());
        }
      } finally {
        publishing.set(false);
        publisher.join();
      }
      assertThat(a.events()).isNotEmpty();
      assertThat(b.events()).isNotEmpty();
    }
  }

  private static double sample(PrometheusServer prometheus, String promql) {
    try {
      return prometheus.value(promql);
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  private static JsonArray results(PrometheusServer prometheus, String promql) {
    try {
      return prometheus.query(promql);
    } catch (Exception e) {
      return new JsonArray();
    }
  }

  private static String authority(NodeProcess node) {
    return java.net.URI.create(node.metricsUrl()).getAuthority();
  }

  private static List<String> dashboardQueries() throws Exception {
    String json = Files.readString(Path.of("..", "..", "deploy", "grafana", "switchboard-dashboard.json"));
    List<String> out = new ArrayList<>();
    for (Object panel : new JsonObject(json).getJsonArray("panels")) {
      for (Object target : ((JsonObject) panel).getJsonArray("targets")) {
        out.add(((JsonObject) target).getString("expr"));
      }
    }
    return out;
  }
}
