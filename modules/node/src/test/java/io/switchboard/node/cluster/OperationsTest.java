package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What operators run a node with: JSON logs with node and request ids, and Kubernetes DNS discovery. */
class OperationsTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void json_logs_carry_the_node_id_on_every_line_and_the_request_id_of_the_request_being_served() throws Exception {
    try (TestCluster cluster = TestCluster.start("json-logs", 1, Map.of("SB_LOG_FORMAT", "json",
        "SB_DEV_SIGNIN", "true"))) {
      NodeProcess node = cluster.node(0);
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.url() + "/console/dev-token?name=ops"))
          .header("X-Request-Id", "req-7f3a").POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("X-Request-Id")).hasValue("req-7f3a");
      HttpResponse<String> own = HTTP.send(HttpRequest.newBuilder(URI.create(node.url() + "/health/live")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(own.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id)
          .startsWith("node-1-"));

      Await.until("the sign-in logged", Duration.ofSeconds(10), () -> read(node).contains("Development sign-in"));
      // The JVM's own warnings come before logging starts; every line of ours is one JSON object.
      List<JsonObject> lines = read(node).lines().filter(l -> l.startsWith("{")).map(JsonObject::new).toList();
      assertThat(lines).hasSizeGreaterThan(3).allSatisfy(l -> {
        assertThat(l.getString("node")).isEqualTo("node-1");
        assertThat(l.getString("@timestamp")).isNotBlank();
        assertThat(l.getString("level")).isNotBlank();
      });
      assertThat(lines).anySatisfy(l -> assertThat(l.getString("message")).startsWith("Node node-1 listening"));
      assertThat(lines).filteredOn(l -> l.getString("message").startsWith("Development sign-in"))
          .singleElement().satisfies(l -> assertThat(l.getString("request_id")).isEqualTo("req-7f3a"));
      // Before logging starts the JVM itself may warn (restricted and deprecated methods): nothing else is plain text.
      assertThat(read(node).lines().filter(l -> !l.startsWith("{") && !l.isBlank()))
          .allSatisfy(l -> assertThat(l).startsWith("WARNING:"));
    }
  }

  /**
   * The manifests' discovery (deploy/k8s): no Kubernetes here, so the Service's name does not resolve. The node says
   * what it waits for, and runs as a cluster of one meanwhile (ready: streams and publishing work).
   */
  @Test
  void a_node_with_kubernetes_discovery_explains_what_it_waits_for_and_serves_alone_until_peers_resolve()
      throws Exception {
    try (TestCluster cluster = TestCluster.start("k8s-discovery", 1, Map.of(
        "SB_CLUSTER_DISCOVERY", "kubernetes",
        "SB_CLUSTER_K8S_SERVICE_DNS", "switchboard-hazelcast.switchboard.svc.cluster.local",
        "SB_CLUSTER_K8S_DNS_TIMEOUT", "1s"))) {
      NodeProcess node = cluster.node(0);
      String log = read(node);
      assertThat(log).contains("Cluster discovery: Kubernetes DNS. Peers are the addresses of "
          + "switchboard-hazelcast.switchboard.svc.cluster.local (a headless Service) on port " + node.clusterPort);
      assertThat(node.health().getInteger("clusterSize")).isEqualTo(1);
      // Ready at once; "DEGRADED" only until the bridge's Redis stream is set up.
      Await.until("fully up", Duration.ofSeconds(15), () -> "UP".equals(node.health().getString("status")));
    }
  }

  /**
   * The discovery itself: two nodes on two loopback addresses (127.0.0.2 and .3) and the same cluster port, as two
   * pods, find each other through a name that resolves to both, from a hosts file the JVMs are given in place of the
   * cluster DNS of Kubernetes (jdk.net.hosts.file). No member is listed anywhere.
   */
  @Test
  void two_nodes_with_kubernetes_discovery_form_one_cluster_from_the_addresses_a_name_resolves_to(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    String service = "switchboard-hazelcast.shop.svc.cluster.local";
    java.nio.file.Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "127.0.0.2 " + service + "\n127.0.0.3 " + service + "\n");
    int port = TestCluster.freePort();
    try (TestCluster cluster = TestCluster.launch("k8s-two", io.switchboard.core.testing.TestDatabase.create(), 2, 0,
        Map.of("SB_CLUSTER_DISCOVERY", "kubernetes", "SB_CLUSTER_K8S_SERVICE_DNS", service,
            "SB_CLUSTER_K8S_DNS_TIMEOUT", "2s", "SB_CLUSTER_MEMBERS", "",
            "JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts))) {
      for (int i = 0; i < 2; i++) {
        NodeProcess node = cluster.node(i);
        node.env("SB_CLUSTER_HOST", "127.0.0." + (i + 2));
        node.env("SB_EVENTBUS_HOST", "127.0.0." + (i + 2));
        node.env("SB_CLUSTER_PORT", String.valueOf(port));
        node.start();
      }
      cluster.awaitReady(2, Duration.ofSeconds(90));
      assertThat(cluster.node(0).health().getInteger("clusterSize")).isEqualTo(2);
      assertThat(cluster.node(1).health().getInteger("clusterSize")).isEqualTo(2);
      // One cluster, not two alone: an event published on one node reaches a stream on the other.
      try (SseTestClient stream = new SseTestClient(List.of(cluster.node(1).url()), "channel=tenant:t1:k8s",
          cluster.dispatcherToken, null)) {
        Await.until("subscribed", Duration.ofSeconds(10), () -> stream.connections.get() == 1);
        assertThat(cluster.publish(cluster.node(0), "tenant:t1:k8s", "k", new JsonObject()).statusCode())
            .isEqualTo(202);
        Await.until("delivered across the nodes", Duration.ofSeconds(10), () -> stream.events().size() == 1);
      }
    }
  }

  private static String read(NodeProcess node) {
    try {
      return Files.readString(node.logFile());
    } catch (Exception e) {
      return "";
    }
  }
}
