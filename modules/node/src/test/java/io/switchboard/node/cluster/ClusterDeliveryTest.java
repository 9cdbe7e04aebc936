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
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Multi-node delivery with real node processes: cross-node fan-out, failover of streams and of the relay. */
class ClusterDeliveryTest {

  @Test
  void an_event_published_on_one_node_reaches_a_subscriber_on_another() throws Exception {
    try (TestCluster cluster = TestCluster.start("cross-node", 2, Map.of());
         SseTestClient client = new SseTestClient(List.of(cluster.node(0).url()), "channel=tenant:t1:order-123",
             cluster.dispatcherToken, null)) {
      Await.until("subscribed", Duration.ofSeconds(10), () -> client.connections.get() == 1);

      HttpResponse<String> published = cluster.publish(cluster.node(1), "tenant:t1:order-123", "order_update",
          new JsonObject().put("n", 1).put("status", "shipped"));
      assertThat(published.statusCode()).isEqualTo(202);
      String eventId = new JsonObject(published.body()).getString("id");

      Await.until("the event arrives on the other node", Duration.ofSeconds(10), () -> client.events().size() == 1);
      SseTestClient.Frame frame = client.events().get(0);
      assertThat(frame.id()).isEqualTo("1");
      JsonObject envelope = frame.json();
      assertThat(envelope.getString("eventId")).isEqualTo(eventId);
      assertThat(envelope.getString("type")).isEqualTo("order_update");
      assertThat(envelope.getJsonObject("data").getString("status")).isEqualTo("shipped");
      assertThat(client.frames.get(0).type()).as("the first frame is 'connected'").isEqualTo("connected");
    }
  }

  @Test
  void an_event_on_several_of_a_clients_channels_arrives_once_and_named_mode_adds_event_lines() throws Exception {
    try (TestCluster cluster = TestCluster.start("multi-channel", 1, Map.of());
         SseTestClient plain = new SseTestClient(List.of(cluster.node(0).url()), "channel=tenant:t1:order-1&channel=tenant:t1:run-1",
             cluster.dispatcherToken, null);
         SseTestClient named = new SseTestClient(List.of(cluster.node(0).url()), "channels=tenant:t1:order-1,tenant:t1:run-1&named=true",
             cluster.dispatcherToken, null)) {
      Await.until("subscribed", Duration.ofSeconds(10), () -> cluster.node(0).streams() == 2);
      String body = new JsonObject().put("channels", List.of("tenant:t1:order-1", "tenant:t1:run-1")).put("type", "order_update")
          .put("data", new JsonObject().put("n", 1)).encode();
      assertThat(TestCluster.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(cluster.node(0).url() + "/api/v1/events"))
          .header("Authorization", "Bearer " + cluster.serviceToken)
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build()).statusCode()).isEqualTo(202);
      cluster.publish(cluster.node(0), "tenant:t1:run-1", "run_update", new JsonObject().put("n", 2));
      Await.until("both events", Duration.ofSeconds(10),
          () -> plain.events().size() >= 2 && named.events().size() >= 2);
      Thread.sleep(300);
      assertThat(SseTestClient.ns(plain.events())).containsExactly(1, 2);
      assertThat(plain.events()).allMatch(f -> f.event() == null);
      assertThat(named.events()).extracting(SseTestClient.Frame::event).containsExactly("order_update", "run_update");
      assertThat(named.frames.get(0).event()).isEqualTo("connected");
    }
  }

  @Test
  void a_client_whose_node_is_killed_reconnects_through_the_load_balancer_and_gets_every_event_exactly_once()
      throws Exception {
    try (TestCluster cluster = TestCluster.start("stream-failover", 3, Map.of());
         NginxBalancer lb = NginxBalancer.start("stream-failover", cluster.nodes);
         SseTestClient client = new SseTestClient(List.of(lb.url()), "channel=tenant:t1:order-7", cluster.dispatcherToken, null)) {
      Await.until("subscribed", Duration.ofSeconds(10), () -> client.connections.get() == 1);
      Await.until("one node serves the stream", Duration.ofSeconds(10),
          () -> cluster.nodes.stream().filter(n -> n.streams() == 1).count() == 1);
      NodeProcess serving = cluster.nodes.stream().filter(n -> n.streams() == 1).findFirst().orElseThrow();
      List<NodeProcess> publishers = cluster.nodes.stream().filter(n -> n != serving).toList();

      List<Integer> accepted = new ArrayList<>();
      for (int n = 0; n < 300; n++) {
        if (n == 100) {
          serving.kill();
        }
        HttpResponse<String> r = cluster.publish(publishers.get(n % 2), "tenant:t1:order-7", "order_update",
            new JsonObject().put("n", n));
        if (r.statusCode() == 202) {
          accepted.add(n);
        }
        Thread.sleep(5);
      }
      assertThat(accepted).hasSize(300);

      Await.until("every event arrives", Duration.ofSeconds(30), () -> client.events().size() >= 300);
      Thread.sleep(500);
      assertThat(client.connections.get()).as("the client reconnected").isGreaterThanOrEqualTo(2);
      assertThat(cluster.nodes.stream().filter(NodeProcess::alive).mapToInt(NodeProcess::streams).sum())
          .as("now served by a surviving node").isEqualTo(1);
      assertThat(SseTestClient.ns(client.events())).as("exactly once, in order").containsExactlyElementsOf(accepted);
      assertThat(client.eventIds()).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void killing_the_relay_node_during_continuous_publishing_loses_no_event_and_leaves_no_gap() throws Exception {
    try (TestCluster cluster = TestCluster.start("relay-failover", 3, Map.of())) {
      Await.until("a relay leader", Duration.ofSeconds(15),
          () -> cluster.nodes.stream().anyMatch(NodeProcess::relayLeader));
      NodeProcess leader = cluster.nodes.stream().filter(NodeProcess::relayLeader).findFirst().orElseThrow();
      List<NodeProcess> others = cluster.nodes.stream().filter(n -> n != leader).toList();

      try (SseTestClient client = new SseTestClient(List.of(others.get(0).url()), "channel=tenant:t1:run-1",
          cluster.dispatcherToken, null)) {
        Await.until("subscribed", Duration.ofSeconds(10), () -> client.connections.get() == 1);
        List<Integer> accepted = new ArrayList<>();
        AtomicBoolean killed = new AtomicBoolean();
        long start = System.currentTimeMillis();
        for (int n = 0; n < 400; n++) {
          if (n == 150) {
            leader.kill();
            killed.set(true);
          }
          HttpResponse<String> r = cluster.publish(others.get(n % 2), "tenant:t1:run-1", "run_update",
              new JsonObject().put("n", n));
          if (r.statusCode() == 202) {
            accepted.add(n);
          }
        }
        assertThat(accepted).hasSize(400);
        Await.until("the relay moved", Duration.ofSeconds(15),
            () -> others.stream().anyMatch(NodeProcess::relayLeader));
        Await.until("every event delivered", Duration.ofSeconds(30), () -> client.events().size() >= 400);
        assertThat(SseTestClient.ns(client.events())).containsExactlyElementsOf(accepted);
        assertThat(client.eventIds()).containsExactlyElementsOf(
            java.util.stream.LongStream.rangeClosed(1, 400).boxed().toList());
      }
      try (var c = cluster.db.connect(); Statement s = c.createStatement()) {
        ResultSet rs = s.executeQuery("SELECT count(*), min(seq), max(seq) FROM sb_events");
        rs.next();
        assertThat(rs.getLong(1)).as("no event lost").isEqualTo(400);
        assertThat(rs.getLong(3) - rs.getLong(2) + 1).as("no gap").isEqualTo(400);
      }
    }
  }

  @Test
  void killing_the_numbering_node_in_the_middle_of_a_large_batch_loses_nothing_and_doubles_nothing()
      throws Exception {
    try (TestCluster cluster = TestCluster.start("numbering-kill", 3, Map.of("SB_PUBLISH_RATE", "0"))) {
      Await.until("a relay leader", Duration.ofSeconds(15),
          () -> cluster.nodes.stream().anyMatch(NodeProcess::relayLeader));
      NodeProcess leader = cluster.nodes.stream().filter(NodeProcess::relayLeader).findFirst().orElseThrow();
      List<NodeProcess> others = cluster.nodes.stream().filter(n -> n != leader).toList();
      int publishers = 8;
      int each = 60;
      try (SseTestClient client = new SseTestClient(List.of(others.get(0).url()), "channel=tenant:t1:batch",
          cluster.dispatcherToken, null);
           var lock = cluster.db.connect();
           var pool = java.util.concurrent.Executors.newFixedThreadPool(publishers)) {
        Await.until("subscribed", Duration.ofSeconds(10), () -> client.connections.get() == 1);
        // Inserts into the log wait behind this lock: the leader's numbering statement blocks with its batch in
        // it, and publishes keep arriving meanwhile (they fall back to the outbox after the direct timeout).
        lock.setAutoCommit(false);
        try (Statement s = lock.createStatement()) {
          s.execute("LOCK TABLE sb_events IN EXCLUSIVE MODE");
        }
        List<java.util.concurrent.Future<List<Integer>>> sent = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
          int first = p * each;
          sent.add(pool.submit(() -> {
            List<Integer> accepted = new ArrayList<>();
            for (int n = first; n < first + each; n++) {
              if (cluster.publish(others.get(n % 2), "tenant:t1:batch", "batch_update",
                  new JsonObject().put("n", n)).statusCode() == 202) {
                accepted.add(n);
              }
            }
            return accepted;
          }));
        }
        Await.until("the leader's numbering statement waits with a batch", Duration.ofSeconds(15), () -> {
          try (var c = cluster.db.connect(); Statement s = c.createStatement()) {
            // The numbering statement (pg_stat_activity shows only its first 1 KB, before the INSERT).
            ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND query LIKE '%FROM sb_log_state WHERE id = 1 FOR UPDATE%'");
            rs.next();
            return rs.getLong(1) > 0;
          } catch (java.sql.SQLException e) {
            return false;
          }
        });
        Thread.sleep(300);
        leader.kill();
        Thread.sleep(1000);
        lock.commit(); // the dead leader's statement may still run now: nothing it numbered may come twice
        List<Integer> accepted = new ArrayList<>();
        for (var f : sent) {
          accepted.addAll(f.get());
        }
        assertThat(accepted).as("every publish acknowledged").hasSize(publishers * each);
        Await.until("the relay moved", Duration.ofSeconds(15),
            () -> others.stream().anyMatch(NodeProcess::relayLeader));
        Await.until("every event delivered", Duration.ofSeconds(30),
            () -> client.events().size() >= publishers * each);
        Thread.sleep(500);
        assertThat(SseTestClient.ns(client.events())).as("each once").doesNotHaveDuplicates()
            .containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(client.eventIds()).isSorted().doesNotHaveDuplicates();
      }
      try (var c = cluster.db.connect(); Statement s = c.createStatement()) {
        ResultSet rs = s.executeQuery("SELECT count(*), min(seq), max(seq), count(DISTINCT event_id) FROM sb_events");
        rs.next();
        assertThat(rs.getLong(1)).as("no event lost or doubled").isEqualTo(publishers * each);
        assertThat(rs.getLong(4)).isEqualTo(publishers * each);
        assertThat(rs.getLong(3) - rs.getLong(2) + 1).as("no gap").isEqualTo(publishers * each);
        ResultSet left = s.executeQuery("SELECT count(*) FROM sb_outbox");
        left.next();
        assertThat(left.getLong(1)).as("the outbox drained").isZero();
      }
    }
  }

  @Test
  void a_node_stopped_with_sigterm_sends_its_clients_to_another_node_and_exits_cleanly() throws Exception {
    try (TestCluster cluster = TestCluster.start("sigterm", 2, Map.of());
         SseTestClient client = new SseTestClient(cluster.urls(), "channel=tenant:t1:order-9", cluster.dispatcherToken, null)) {
      Await.until("subscribed", Duration.ofSeconds(10), () -> client.connections.get() == 1);
      NodeProcess serving = cluster.byUrl(client.currentUrl());
      NodeProcess other = cluster.nodes.stream().filter(n -> n != serving).findFirst().orElseThrow();
      for (int n = 0; n < 20; n++) {
        cluster.publish(other, "tenant:t1:order-9", "order_update", new JsonObject().put("n", n));
      }
      Await.until("first events", Duration.ofSeconds(10), () -> client.events().size() == 20);

      int exit = serving.terminate(Duration.ofSeconds(20));
      assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);
      for (int n = 20; n < 40; n++) {
        cluster.publish(other, "tenant:t1:order-9", "order_update", new JsonObject().put("n", n));
      }
      Await.until("events after the shutdown", Duration.ofSeconds(15), () -> client.events().size() >= 40);
      assertThat(client.connections.get()).isEqualTo(2);
      assertThat(SseTestClient.ns(client.events())).containsExactlyElementsOf(
          java.util.stream.IntStream.range(0, 40).boxed().toList());
      String log = java.nio.file.Files.readString(
          java.nio.file.Path.of("target/cluster-logs/sigterm/" + serving.name + ".log"));
      assertThat(log).contains("shutting down").doesNotContain("unclean shutdown");
    }
  }
}
