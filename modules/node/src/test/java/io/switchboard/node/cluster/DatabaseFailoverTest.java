package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a PostgreSQL failover looks like to the nodes: every connection they hold is cut at once (the relay's lock
 * connection, the pools, the election's), and new ones succeed a moment later. The shared PostgreSQL of these
 * machines cannot be stopped for one test, so its connections to the test's database are terminated instead.
 * (A switch to another server by DNS or a proxy is the same to the nodes; a real promotion was not run.)
 */
class DatabaseFailoverTest {

  @Test
  void cutting_every_database_connection_mid_flow_loses_no_accepted_event_and_the_relay_is_elected_again()
      throws Exception {
    try (TestCluster cluster = TestCluster.start("db-failover", 2, Map.of("SB_PUBLISH_RATE", "0"))) {
      Await.until("a relay leader", Duration.ofSeconds(15),
          () -> cluster.nodes.stream().anyMatch(NodeProcess::relayLeader));
      try (SseTestClient client = new SseTestClient(List.of(cluster.node(0).url(), cluster.node(1).url()),
          "channel=tenant:t1:failover", cluster.dispatcherToken, null)) {
        Await.until("subscribed", Duration.ofSeconds(10), () -> client.connections.get() == 1);
        List<Integer> accepted = new ArrayList<>();
        Set<Integer> statuses = new TreeSet<>();
        int refused = 0;
        Set<Integer> cuts = new TreeSet<>();
        for (int n = 0; n < 300; n++) {
          if ((n == 100 || n == 200) && cuts.add(n)) {
            assertThat(terminateConnections(cluster)).as("connections cut").isGreaterThan(2);
          }
          HttpResponse<String> r = cluster.publish(cluster.node(n % 2), "tenant:t1:failover", "t",
              new JsonObject().put("n", n));
          statuses.add(r.statusCode());
          if (r.statusCode() == 202) {
            accepted.add(n);
          } else {
            // While the database is away a publish is refused with a JSON error, never a stack trace: retried.
            assertThat(r.statusCode()).as(r.body()).isIn(503);
            assertThat(new JsonObject(r.body()).getString("error")).isNotBlank();
            assertThat(++refused).as("refused while the database was away, not for ever").isLessThan(100);
            n--;
            Thread.sleep(100);
          }
        }
        assertThat(accepted).hasSize(300);
        assertThat(cuts).containsExactly(100, 200);
        Await.until("a relay leader again", Duration.ofSeconds(15),
            () -> cluster.nodes.stream().anyMatch(NodeProcess::relayLeader));
        Await.until("every event delivered", Duration.ofSeconds(30), () -> client.events().size() >= 300);
        assertThat(SseTestClient.ns(client.events())).as("exactly once, in order").containsExactlyElementsOf(accepted);
        assertThat(client.eventIds()).isSorted().doesNotHaveDuplicates();
      }
      try (var c = cluster.db.connect(); Statement s = c.createStatement()) {
        ResultSet rs = s.executeQuery("SELECT count(*), min(seq), max(seq) FROM sb_events");
        rs.next();
        assertThat(rs.getLong(1)).as("each event once").isEqualTo(300);
        assertThat(rs.getLong(3) - rs.getLong(2) + 1).as("no gap").isEqualTo(300);
      }
      Await.until("both nodes ready again", Duration.ofSeconds(20), () -> cluster.nodes.stream()
          .allMatch(n -> n.ready(2)));
    }
  }

  private static int terminateConnections(TestCluster cluster) throws Exception {
    try (var c = cluster.db.connect(); Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
          + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
      rs.next();
      return rs.getInt(1);
    }
  }
}
