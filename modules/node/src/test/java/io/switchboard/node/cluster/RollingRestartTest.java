package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rolling restart behind the balancer we ship: every node SIGKILLed in turn and started again 2 s later, while
 * events are published without pause, and one spec-following EventSource client (the npm {@code eventsource}
 * package, which gives up for good on any answer but {@code 200 text/event-stream}, as browsers do) follows the
 * stream through nginx. While one node is ready, its reconnects must always land on a ready node.
 */
class RollingRestartTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void a_browser_client_follows_a_rolling_restart_of_every_node_without_giving_up_or_missing_an_event()
      throws Exception {
    rollingRestart("rolling-restart", 3, 3);
  }

  /**
   * The sharpest case: of two nodes, the one still serving is killed as soon as the other is ready again, so the
   * client's reconnect can only go to a node that has just recovered (and that nginx's default would still count as
   * failed: 502 "no live upstreams").
   */
  @Test
  void the_last_node_standing_hands_its_client_to_a_node_that_has_just_recovered() throws Exception {
    rollingRestart("rolling-restart-two", 2, 4);
  }

  /** Kills the nodes in turn {@code kills} times, each restarted 2 s later and the next killed once it is ready. */
  private static void rollingRestart(String name, int size, int kills) throws Exception {
    try (TestCluster cluster = TestCluster.start(name, size, Map.of());
         NginxBalancer lb = NginxBalancer.start(name, cluster.nodes);
         SeedClient page = SeedClient.open(lb.url() + "/api/v1/realtime/stream?channel=tenant:t1:roll",
             cluster.dispatcherToken)) {
      Set<Integer> accepted = new ConcurrentSkipListSet<>();
      AtomicBoolean publishing = new AtomicBoolean(true);
      Thread publisher = Thread.ofVirtual().start(() -> {
        for (int n = 0; publishing.get(); n++) {
          if (publish(lb, cluster.serviceToken, n)) {
            accepted.add(n);
          }
          sleep(40);
        }
      });
      for (int k = 0; k < kills; k++) {
        NodeProcess node = cluster.node(k % size);
        node.kill();
        Thread.sleep(2_000);
        node.start();
        Await.until(node.name + " ready again", Duration.ofSeconds(60), () -> node.ready(size));
      }
      Thread.sleep(1_000);
      publishing.set(false);
      publisher.join();

      assertThat(page.closedForGood()).as("the client never gave up").isFalse();
      try {
        Await.until("every accepted event on the page", Duration.ofSeconds(20), () -> ns(page).containsAll(accepted));
      } catch (AssertionError e) {
        Set<Integer> missing = new TreeSet<>(accepted);
        missing.removeAll(ns(page));
        List<SeedClient.Seen> seen = page.seen();
        throw new AssertionError(e.getMessage() + ": missing " + missing + " of " + accepted.size() + "; the page saw "
            + seen.size() + ", the last " + seen.subList(Math.max(0, seen.size() - 3), seen.size()) + ", "
            + page.errors() + " errors; the log holds " + logged(cluster, "SELECT string_agg(seq || ':' || (data->>'n'), ',' ORDER BY seq) FROM sb_events WHERE (data->>'n')::int IN ("
            + String.join(",", missing.stream().map(String::valueOf).toList()) + ")"), e);
      }
      Thread.sleep(500);
      List<Integer> seen = new ArrayList<>(page.seen().stream()
          .filter(s -> "t".equals(s.data().getString("type")))
          .map(s -> s.data().getJsonObject("data").getInteger("n")).toList());
      assertThat(accepted).hasSizeGreaterThan(100);
      assertThat(seen).as("once each, in order").doesNotHaveDuplicates().isSorted();
      assertThat(seen).containsAll(accepted);
      assertThat(page.errors()).as("it did reconnect").isGreaterThanOrEqualTo(1);
    }
  }

  private static String logged(TestCluster cluster, String sql) {
    try (var c = cluster.db.connect(); var rs = c.createStatement().executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : "nothing";
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static Set<Integer> ns(SeedClient page) {
    Set<Integer> out = new TreeSet<>();
    page.seen().stream().filter(s -> "t".equals(s.data().getString("type")))
        .forEach(s -> out.add(s.data().getJsonObject("data").getInteger("n")));
    return out;
  }

  /** Through the balancer; true on 202 (an answer lost on the way may still have been taken: not counted). */
  private static boolean publish(NginxBalancer lb, String token, int n) {
    String body = new JsonObject().put("channels", List.of("tenant:t1:roll")).put("type", "t")
        .put("data", new JsonObject().put("n", n)).encode();
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(lb.url() + "/api/v1/events"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 202;
    } catch (Exception e) {
      return false;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
