package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.switchboard.core.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StartupResilienceTest {

  @Test
  void a_node_started_before_its_database_and_its_peers_keeps_trying_and_becomes_ready_when_they_appear()
      throws Exception {
    TestDatabase db = TestDatabase.notYetCreated();
    try (TestCluster cluster = TestCluster.launch("startup-resilience", db, 2, 1, Map.of())) {
      NodeProcess first = cluster.node(0);
      Await.until("the first node is live", Duration.ofSeconds(30),
          () -> first.health().getInteger("httpStatus") != 0);
      Thread.sleep(2000);
      assertThat(first.alive()).as("still running without its database").isTrue();
      JsonObject health = first.health();
      assertThat(health.getInteger("httpStatus")).isEqualTo(503);
      assertThat(health.getJsonObject("checks").getBoolean("postgres")).isFalse();

      db.createNow();
      cluster.node(1).start();
      cluster.awaitReady(2, Duration.ofSeconds(60));

      try (SseTestClient client = new SseTestClient(List.of(first.url()), "channel=tenant:t1:order-late",
          cluster.dispatcherToken, null)) {
        Await.until("subscribed", Duration.ofSeconds(10), () -> client.connections.get() == 1);
        assertThat(cluster.publish(cluster.node(1), "tenant:t1:order-late", "order_update", new JsonObject().put("n", 1))
            .statusCode()).isEqualTo(202);
        Await.until("delivered across the merged cluster", Duration.ofSeconds(10), () -> client.events().size() == 1);
      }
    }
  }
}
