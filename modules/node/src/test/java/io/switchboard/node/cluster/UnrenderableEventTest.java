package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code data} may be any JSON, while a seed family's dialect expects the object its canonical type promises. An
 * event a dialect cannot render is skipped for that family only, logged once: every other event and connection
 * goes on, live and when resuming from memory or from PostgreSQL.
 */
class UnrenderableEventTest {

  private static final String FLORIST = "/api/tenants/t1/realtime/orders";

  @Test
  void an_event_a_dialect_cannot_render_is_skipped_for_that_family_and_nothing_else_stops() throws Exception {
    // Three events in memory: the resume from the start must come from PostgreSQL.
    try (TestCluster cluster = TestCluster.start("unrenderable", 1, Map.of("SB_FEED_MEMORY_EVENTS", "3"))) {
      List<String> node = List.of(cluster.node(0).url());
      try (SseTestClient first = new SseTestClient(node, FLORIST, cluster.dispatcherToken, null);
           SseTestClient second = new SseTestClient(node, FLORIST, cluster.dispatcherToken, null);
           SseTestClient generic = new SseTestClient(node, "channel=tenant:t1:orders", cluster.dispatcherToken, null)) {
        Await.until("three streams open", Duration.ofSeconds(10),
            () -> first.frames.size() + second.frames.size() + generic.frames.size() == 3);

        publish(cluster, "order.created", "[1]");             // 1: the florist dialect expects {"order": {...}}
        publish(cluster, "order.updated", "\"text\"");        // 2
        publish(cluster, "order.updated", "{\"order\":7}");   // 3
        publish(cluster, "order.updated", good("o-after"));   // 4
        Await.until("the next event reaches both florist streams", Duration.ofSeconds(10),
            () -> first.events().size() == 1 && second.events().size() == 1);
        assertThat(first.events().get(0).json().getString("orderId")).isEqualTo("o-after");
        assertThat(first.eventIds()).containsExactly(4L);
        Await.until("the generic stream shows every event as stored", Duration.ofSeconds(10),
            () -> generic.events().size() == 4);

        for (int i = 0; i < 4; i++) {
          publish(cluster, "order.updated", good("o-" + i)); // 5..8: event 1 leaves the memory window
        }
        try (SseTestClient fromMemory = new SseTestClient(node, FLORIST, cluster.dispatcherToken, "5");
             SseTestClient fromLog = new SseTestClient(node, FLORIST, cluster.dispatcherToken, "0")) {
          Await.until("both resumes get past the events they cannot show", Duration.ofSeconds(10),
              () -> fromMemory.events().size() == 3 && fromLog.events().size() == 5);
          assertThat(fromMemory.eventIds()).containsExactly(6L, 7L, 8L);
          assertThat(fromLog.eventIds()).containsExactly(4L, 5L, 6L, 7L, 8L);
          publish(cluster, "order.updated", good("o-live"));
          Await.until("and then go live", Duration.ofSeconds(10),
              () -> fromMemory.events().size() == 4 && fromLog.events().size() == 6);
        }
      }
      String log = Files.readString(Path.of("target", "cluster-logs", "unrenderable", "node-1.log"));
      assertThat(log.lines().filter(l -> l.contains("Cannot render event 1 ") && l.contains("TENANT")).count())
          .as("logged once, however often it was skipped").isEqualTo(1);
      assertThat(log).doesNotContain("\tat ");
    }
  }

  private static String good(String orderId) {
    return "{\"order\":{\"id\":\"" + orderId + "\",\"updatedBy\":\"desk\"}}";
  }

  private static void publish(TestCluster cluster, String type, String data) throws Exception {
    String body = "{\"channels\":[\"tenant:t1:orders\"],\"type\":\"" + type + "\",\"data\":" + data + "}";
    var r = TestCluster.send(HttpRequest.newBuilder(URI.create(cluster.node(0).url() + "/api/v1/events"))
        .header("Authorization", "Bearer " + cluster.serviceToken).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
  }
}
