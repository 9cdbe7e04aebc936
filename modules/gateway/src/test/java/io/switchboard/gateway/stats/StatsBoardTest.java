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
    board.report("n1", () -> new JsonObject().put("totalClients", clients.get()));
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
    board.report("n1", () -> new JsonObject().put("totalClients", 2));
    Await.until("the first report", Duration.ofSeconds(5), () -> total(board) == 2);
    String first = reportedAt(board);
    Await.until("a keep-alive write", Duration.ofMillis(StatsBoard.KEEPALIVE_MS + 3000),
        () -> !reportedAt(board).equals(first));
    assertThat(board.nodes().await()).containsExactly("n1");
  }

  private static int total(StatsBoard board) {
    return board.clusterCounts().await().getInteger("totalClients");
  }

  private static String reportedAt(StatsBoard board) {
    return board.clusterCounts().await().getJsonArray("nodes").getJsonObject(0).getString("reportedAt");
  }
}
