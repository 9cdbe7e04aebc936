package io.switchboard.gateway.stats;

import io.switchboard.core.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** On a single node the cluster map is Vert.x's local one: the same calls, no Hazelcast. */
class StatsBoardTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void a_node_rewrites_its_counts_when_they_change_and_not_every_period_while_they_do_not() throws Exception {
    AtomicInteger clients = new AtomicInteger(1);
    StatsBoard board = new StatsBoard(vertx);
    board.report("n1", () -> tenants("t", clients.get()));
    Await.until("the first report", Duration.ofSeconds(5), () -> total(board) == 1);
    String first = reportedAt(board);

    Thread.sleep(StatsBoard.REPORT_MS * 2 + 500);
    assertThat(reportedAt(board)).as("steady counts are not written again within the keep-alive").isEqualTo(first);

    clients.set(3);
    Await.until("the changed counts", Duration.ofSeconds(3), () -> total(board) == 3);
    assertThat(reportedAt(board)).isNotEqualTo(first);
  }

  @Test
  void steady_counts_are_still_written_once_per_keep_alive_so_the_entry_never_expires() throws Exception {
    StatsBoard board = new StatsBoard(vertx);
    board.report("n1", () -> tenants("t", 2));
    Await.until("the first report", Duration.ofSeconds(5), () -> total(board) == 2);
    String first = reportedAt(board);
    Await.until("a keep-alive write", Duration.ofMillis(StatsBoard.KEEPALIVE_MS + 3000),
        () -> !reportedAt(board).equals(first));
    assertThat(board.nodes().await()).containsExactly("n1");
  }

  @Test
  void a_tenant_sees_its_own_counts_and_nothing_of_another_tenants() throws Exception {
    SubscriberCounts counts = new SubscriberCounts();
    counts.opened("a", java.util.List.of("order:1"));
    counts.opened("a", java.util.List.of("run:1", "driver:1"));
    counts.opened("b", java.util.List.of("order:2"));
    StatsBoard board = new StatsBoard(vertx);
    board.report("n1", counts::toJson);
    Await.until("the report", Duration.ofSeconds(5), () -> total(board) == 2);
    JsonObject a = board.clusterCounts("a").await();
    assertThat(a.getInteger("orders")).isEqualTo(1);
    assertThat(a.getInteger("runs")).isEqualTo(1);
    assertThat(a.getInteger("drivers")).isEqualTo(1);
    JsonObject b = board.clusterCounts("b").await();
    assertThat(b.getInteger("totalClients")).isEqualTo(1);
    assertThat(b.encode()).doesNotContain("\"a\"");
    assertThat(board.clusterCounts("c").await().getInteger("totalClients")).isZero();
  }

  private static JsonObject tenants(String tenant, int total) {
    return new JsonObject().put("tenants", new JsonObject().put(tenant, new JsonObject().put("totalClients", total)));
  }

  /** Tenant "t" in the first two tests, "a" in the third. */
  private static int total(StatsBoard board) {
    int t = board.clusterCounts("t").await().getInteger("totalClients");
    return t > 0 ? t : board.clusterCounts("a").await().getInteger("totalClients");
  }

  private static String reportedAt(StatsBoard board) {
    return board.clusterCounts("t").await().getJsonArray("nodes").getJsonObject(0).getString("reportedAt");
  }
}
