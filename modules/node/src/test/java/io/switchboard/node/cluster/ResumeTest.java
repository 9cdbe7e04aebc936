package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Resume by Last-Event-ID from memory, from PostgreSQL, and from before retention. */
class ResumeTest {

  @Test
  void resuming_from_inside_and_from_before_the_memory_window_replays_exactly_the_missed_events() throws Exception {
    // The feed keeps only 5 events in memory: a resume 35 events back must come from PostgreSQL.
    try (TestCluster cluster = TestCluster.start("resume-memory-pg", 2, Map.of("SB_FEED_MEMORY_EVENTS", "5",
        "SB_SSE_REPLAY_PAGE_SIZE", "7"))) {
      List<Long> aIds = new ArrayList<>();
      for (int n = 0; n < 40; n++) {
        String channel = n % 2 == 0 ? "tenant:t1:order-a" : "tenant:t1:order-b";
        cluster.publish(cluster.node(n % 2), channel, "order_update", new JsonObject().put("n", n));
        if (n % 2 == 0) {
          aIds.add(n + 1L);
        }
      }
      Await.until("all numbered", Duration.ofSeconds(10),
          () -> cluster.node(1).health().getLong("head", 0L) == 40);

      try (SseTestClient fromPg = new SseTestClient(List.of(cluster.node(1).url()), "channel=tenant:t1:order-a",
          cluster.dispatcherToken, "5");
           SseTestClient fromMemory = new SseTestClient(List.of(cluster.node(0).url()), "channel=tenant:t1:order-a&channel=tenant:t1:order-b",
               cluster.dispatcherToken, "37")) {
        Await.until("replayed from PostgreSQL", Duration.ofSeconds(10), () -> fromPg.events().size() >= 17);
        Await.until("replayed from memory", Duration.ofSeconds(10), () -> fromMemory.events().size() >= 3);
        cluster.publish(cluster.node(0), "tenant:t1:order-a", "order_update", new JsonObject().put("n", 40));
        Await.until("then live", Duration.ofSeconds(10), () -> fromPg.events().size() >= 18);
        Await.until("then live", Duration.ofSeconds(10), () -> fromMemory.events().size() >= 4);
        Thread.sleep(300);

        List<Long> expected = new ArrayList<>(aIds.stream().filter(id -> id > 5).toList());
        expected.add(41L);
        assertThat(fromPg.eventIds()).containsExactlyElementsOf(expected);
        assertThat(fromMemory.eventIds()).containsExactly(38L, 39L, 40L, 41L);
        assertThat(fromPg.frames.get(0).type()).isEqualTo("connected");
      }
    }
  }

  @Test
  void resuming_from_before_retention_gets_a_reset_event_and_then_live_events() throws Exception {
    try (TestCluster cluster = TestCluster.start("resume-retention", 1, Map.of("SB_EVENT_RETENTION", "1s",
        "SB_RETENTION_INTERVAL", "300ms", "SB_FEED_GAP_CHECK_INTERVAL", "200ms"))) {
      for (int n = 0; n < 5; n++) {
        cluster.publish(cluster.node(0), "tenant:t1:order-r", "order_update", new JsonObject().put("n", n));
      }
      Thread.sleep(3000); // older than retention, purged, and the feed has seen the purge

      try (SseTestClient client = new SseTestClient(List.of(cluster.node(0).url()), "channel=tenant:t1:order-r",
          cluster.dispatcherToken, "2")) {
        Await.until("reset", Duration.ofSeconds(10), () -> client.events().size() >= 1);
        SseTestClient.Frame reset = client.events().get(0);
        assertThat(reset.type()).isEqualTo("reset");
        assertThat(reset.id()).isEqualTo("5");
        assertThat(reset.json().getLong("requestedLastEventId")).isEqualTo(2);

        cluster.publish(cluster.node(0), "tenant:t1:order-r", "order_update", new JsonObject().put("n", 5));
        Await.until("live after reset", Duration.ofSeconds(10), () -> client.events().size() >= 2);
        assertThat(client.events().get(1).id()).isEqualTo("6");
      }
    }
  }

  @Test
  void a_resume_point_that_was_never_issued_gets_a_reset() throws Exception {
    try (TestCluster cluster = TestCluster.start("resume-future", 1, Map.of())) {
      cluster.publish(cluster.node(0), "tenant:t1:order-f", "order_update", new JsonObject().put("n", 0));
      Await.until("numbered", Duration.ofSeconds(10), () -> cluster.node(0).health().getLong("head", 0L) == 1);
      try (SseTestClient client = new SseTestClient(List.of(cluster.node(0).url()), "channel=tenant:t1:order-f",
          cluster.dispatcherToken, "999")) {
        Await.until("reset", Duration.ofSeconds(10), () -> client.events().size() >= 1);
        assertThat(client.events().get(0).type()).isEqualTo("reset");
        assertThat(client.events().get(0).id()).isEqualTo("1");
      }
    }
  }
}
