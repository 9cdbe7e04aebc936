package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.switchboard.core.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis bridge with real Redis servers of the test's own (so one can be restarted) and real node processes:
 * redis-cli PUBLISH and XADD in, the log and SSE out, dead letters, idempotency, a node killed before it
 * acknowledged, Redis restarted mid-flow, and the outbound mirror's order.
 */
class RedisBridgeTest {

  private static Map<String, String> env(RedisServer redis, String... more) {
    // A Redis of the test's own: the bridge's default names, as docs/redis-bridge.md shows them.
    Map<String, String> env = new HashMap<>(Map.of("SB_REDIS_URI", redis.uri(), "SB_BRIDGE_WATCH_INTERVAL", "300ms",
        "SB_BRIDGE_CLAIM_IDLE", "2s", "SB_REDIS_KEY_PREFIX", "sb:", "SB_BRIDGE_CHANNELS", "switchboard:publish",
        "SB_BRIDGE_STREAM", "switchboard:events:in", "SB_BRIDGE_DEAD_LETTER", "switchboard:dead-letter",
        "SB_BRIDGE_OUT_PREFIX", "switchboard:out:"));
    for (int i = 0; i + 1 < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  private static String message(String channel, int n, String extra) {
    return "{\"channels\":[\"" + channel + "\"],\"type\":\"news\",\"data\":{\"n\":" + n + "}" + extra + "}";
  }

  private static void awaitPubSub(TestCluster cluster) {
    Await.until("a bridge leader subscribed", Duration.ofSeconds(20), () -> cluster.nodes.stream()
        .filter(NodeProcess::alive).map(NodeProcess::health)
        .anyMatch(h -> h != null && h.getJsonObject("bridge") != null
            && "UP".equals(h.getJsonObject("bridge").getString("pubsub"))));
  }

  private static Set<Integer> ns(SseTestClient client) {
    return client.events().stream().map(f -> f.json().getJsonObject("data").getInteger("n"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void redis_cli_publish_reaches_sse_clients_once_per_key_and_bad_messages_become_dead_letters() throws Exception {
    try (RedisServer redis = new RedisServer(false);
         TestCluster cluster = TestCluster.start("bridge-pubsub", 2, env(redis))) {
      awaitPubSub(cluster);
      try (SseTestClient client = new SseTestClient(List.of(cluster.node(1).url()), "channel=tenant:t1:news",
          cluster.dispatcherToken, null)) {
        Await.until("connected", Duration.ofSeconds(5), () -> !client.frames.isEmpty());
        assertThat(redis.cli("PUBLISH", "switchboard:publish", message("tenant:t1:news", 1, ""))).isEqualTo("1");
        // The same idempotency key twice: one event.
        redis.cli("PUBLISH", "switchboard:publish", message("tenant:t1:news", 2, ",\"idempotencyKey\":\"k-2\""));
        redis.cli("PUBLISH", "switchboard:publish", message("tenant:t1:news", 2, ",\"idempotencyKey\":\"k-2\""));
        // Transient: straight to the streams, without a sequence number.
        redis.cli("PUBLISH", "switchboard:publish", message("tenant:t1:news", 3, ",\"durable\":false"));
        // Malformed: dead letters, and the bridge carries on.
        redis.cli("PUBLISH", "switchboard:publish", "{not json");
        redis.cli("PUBLISH", "switchboard:publish", "{\"channels\":[\"bad channel!\"],\"type\":\"x\"}");
        redis.cli("PUBLISH", "switchboard:publish", message("tenant:t1:news", 4, ""));
        Await.until("4 events", Duration.ofSeconds(10), () -> ns(client).size() == 4);
        Thread.sleep(500);
        assertThat(client.events()).hasSize(4);
        assertThat(ns(client)).containsExactly(1, 2, 3, 4);
        SseTestClient.Frame transientFrame = client.events().stream()
            .filter(f -> f.json().getJsonObject("data").getInteger("n") == 3).findFirst().orElseThrow();
        assertThat(transientFrame.id()).isNull();
        assertThat(client.events().stream().filter(f -> f.id() != null)).hasSize(3);
      }
      String dead = redis.cli("XRANGE", "switchboard:dead-letter", "-", "+");
      assertThat(dead).contains("not a JSON object").contains("{not json").contains("invalid channel name");
      assertThat(dead).contains("pubsub:switchboard:publish");
      // The same story in the nodes' metrics, summed over the cluster.
      double durable = 0;
      double transients = 0;
      double deadLetters = 0;
      for (NodeProcess n : cluster.nodes) {
        String page = MetricsScrape.of(n);
        durable += MetricsScrape.value(page, "switchboard_bridge_inbound_total{kind=\"durable\"}");
        transients += MetricsScrape.value(page, "switchboard_bridge_inbound_total{kind=\"transient\"}");
        deadLetters += MetricsScrape.value(page, "switchboard_bridge_dead_letters_total");
      }
      assertThat(durable).isEqualTo(3.0);
      assertThat(transients).isEqualTo(1.0);
      assertThat(deadLetters).isEqualTo(2.0);
    }
  }

  @Test
  void a_message_postgresql_would_refuse_is_a_dead_letter_and_never_holds_up_the_ones_after_it() throws Exception {
    try (RedisServer redis = new RedisServer(false);
         TestCluster cluster = TestCluster.start("bridge-poison", 1, env(redis))) {
      awaitPubSub(cluster);
      try (SseTestClient client = new SseTestClient(List.of(cluster.node(0).url()), "channel=tenant:t1:news",
          cluster.dispatcherToken, null)) {
        Await.until("connected", Duration.ofSeconds(5), () -> !client.frames.isEmpty());
        // A NUL character in a key (a text column): PostgreSQL refuses the row, and with it the whole batch.
        String poison = ",\"idempotencyKey\":\"bad\\u0000key\"";
        redis.cli("PUBLISH", "switchboard:publish", message("tenant:t1:news", 1, ""));
        redis.cli("PUBLISH", "switchboard:publish", message("tenant:t1:news", 2, poison));
        redis.cli("PUBLISH", "switchboard:publish", message("tenant:t1:news", 3, ""));
        // The same in the stream, in both of its forms, with a field-form entry over the size limit besides.
        redis.cli("XADD", "switchboard:events:in", "*", "payload", message("tenant:t1:news", 4, ""));
        redis.cli("XADD", "switchboard:events:in", "*", "payload", message("tenant:t1:news", 5, poison));
        redis.cli("XADD", "switchboard:events:in", "*", "channels", "tenant:t1:news", "type", "news", "data",
            "{\"n\":6}", "idempotencyKey", "tab\there");
        redis.cli("XADD", "switchboard:events:in", "*", "channels", "tenant:t1:news", "type", "news", "data",
            "{\"n\":7,\"pad\":\"" + "x".repeat(70_000) + "\"}");
        redis.cli("XADD", "switchboard:events:in", "*", "channels", "tenant:t1:news", "type", "news", "data",
            "{\"n\":8}");
        Await.until("the good messages", Duration.ofSeconds(15), () -> ns(client).containsAll(List.of(1, 3, 4, 8)));
        Thread.sleep(500);
        assertThat(ns(client)).containsExactly(1, 3, 4, 8);
        Await.until("nothing left pending", Duration.ofSeconds(10), () -> {
          try {
            return redis.cli("XPENDING", "switchboard:events:in", "switchboard").startsWith("0");
          } catch (Exception e) {
            return false;
          }
        });
      }
      String dead = redis.cli("XRANGE", "switchboard:dead-letter", "-", "+");
      assertThat(dead.lines().filter(l -> l.equals("reason")).count()).as(dead).isEqualTo(4);
      assertThat(dead).contains("idempotencyKey").contains("larger than");
      assertThat(cluster.node(0).health().getJsonObject("bridge").getInteger("deadLetters")).isEqualTo(4);
    }
  }

  @Test
  void a_stream_entry_read_by_a_node_killed_before_its_ack_is_claimed_by_another_and_logged_once()
      throws Exception {
    try (RedisServer redis = new RedisServer(false);
         PgProxy proxy = new PgProxy(TestDatabase.HOST, TestDatabase.PORT)) {
      TestDatabase db = TestDatabase.create();
      // Node 1 reaches PostgreSQL through a proxy we can cut; node 2 directly. Only node 1 runs at first.
      TestCluster cluster = TestCluster.launch("bridge-claim", db, 2, 0, env(redis));
      try {
        cluster.node(0).env("SB_PG_PORT", String.valueOf(proxy.port()));
        cluster.node(0).start();
        Await.until("node 1 ready", Duration.ofSeconds(60), () -> cluster.node(0).ready(1));
        Await.until("node 1 reads the stream", Duration.ofSeconds(20), () -> "UP".equals(
            cluster.node(0).health().getJsonObject("bridge").getString("stream")));
        proxy.cut();
        redis.cli("XADD", "switchboard:events:in", "*", "payload", message("tenant:t1:news", 7, ""));
        Await.until("the entry pending on node 1", Duration.ofSeconds(10), () -> {
          try {
            return redis.cli("XPENDING", "switchboard:events:in", "switchboard").startsWith("1");
          } catch (Exception e) {
            return false;
          }
        });
        cluster.node(0).kill();
        cluster.node(1).start();
        Await.until("node 2 ready", Duration.ofSeconds(60), () -> cluster.node(1).ready(1));
        try (SseTestClient client = new SseTestClient(List.of(cluster.node(1).url()), "channel=tenant:t1:news",
            cluster.dispatcherToken, "0")) {
          Await.until("the claimed event", Duration.ofSeconds(20), () -> ns(client).contains(7));
          Await.until("acknowledged", Duration.ofSeconds(10), () -> {
            try {
              return redis.cli("XPENDING", "switchboard:events:in", "switchboard").startsWith("0");
            } catch (Exception e) {
              return false;
            }
          });
          Thread.sleep(500);
          assertThat(client.events()).hasSize(1);
        }
      } finally {
        cluster.close();
      }
    }
  }

  @Test
  void redis_restarted_mid_flow_the_bridge_recovers_and_no_durable_event_is_lost() throws Exception {
    try (RedisServer redis = new RedisServer(true);
         TestCluster cluster = TestCluster.start("bridge-restart", 2, env(redis))) {
      awaitPubSub(cluster);
      try (SseTestClient client = new SseTestClient(List.of(cluster.node(0).url()), "channel=tenant:t1:news",
          cluster.dispatcherToken, null)) {
        Await.until("connected", Duration.ofSeconds(5), () -> !client.frames.isEmpty());
        for (int n = 1; n <= 200; n++) {
          if (n == 100) {
            redis.stop();
            Await.until("health says degraded", Duration.ofSeconds(10), () -> "DEGRADED".equals(
                cluster.node(0).health().getString("status")));
            assertThat(cluster.node(0).ready(2)).as("still ready: the node serves without Redis").isTrue();
            redis.start();
          }
          // A producer retries until Redis took its entry: XADD is the durable hand-over.
          String id = "";
          while (!id.matches("\\d+-\\d+")) {
            id = redis.cli("XADD", "switchboard:events:in", "*", "payload",
                message("tenant:t1:news", n, ",\"idempotencyKey\":\"e-" + n + "\""));
          }
        }
        Await.until("200 events", Duration.ofSeconds(30), () -> ns(client).size() == 200);
        Thread.sleep(500);
        assertThat(client.events()).hasSize(200);
        // Pub/sub comes back too, once the watchdog noticed the restart and subscribed again.
        awaitPubSub(cluster);
        Await.until("a pub/sub message after the restart", Duration.ofSeconds(15), () -> {
          try {
            redis.cli("PUBLISH", "switchboard:publish", message("tenant:t1:news", 1000, ",\"idempotencyKey\":\"p\""));
            Thread.sleep(300);
            return ns(client).contains(1000);
          } catch (Exception e) {
            return false;
          }
        });
        Await.until("health is up again", Duration.ofSeconds(10), () -> "UP".equals(
            cluster.node(0).health().getString("status")));
      }
    }
  }

  @Test
  void committed_events_are_mirrored_to_redis_in_sequence_order() throws Exception {
    try (RedisServer redis = new RedisServer(false);
         TestCluster cluster = TestCluster.start("bridge-mirror", 2, env(redis,
             "SB_BRIDGE_OUT_STREAM", "switchboard:events:out"))) {
      awaitPubSub(cluster);
      Thread.sleep(500); // the mirror has read its starting point
      // Eight publishers at once, so that relay batches queue behind the one the mirror has in flight.
      try (var publishers = Executors.newFixedThreadPool(8)) {
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int n = 1; n <= 60; n++) {
          int k = n;
          statuses.add(publishers.submit(() -> cluster.publish(cluster.node(k % 2), "tenant:t1:news", "news",
              new JsonObject().put("n", k)).statusCode()));
        }
        for (var status : statuses) {
          assertThat(status.get()).isEqualTo(202);
        }
      }
      List<Long> seqs = mirrored(redis, 60);
      for (int i = 1; i < seqs.size(); i++) {
        assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
      }
      assertThat(cluster.nodes.stream().mapToDouble(n -> MetricsScrape.value(n, "switchboard_bridge_outbound_total"))
          .sum()).as("mirrored, in the leader's metrics").isGreaterThanOrEqualTo(60.0);
      // The cursor follows the events at most 200 ms behind, also once traffic stopped.
      Await.until("the cursor names the last mirrored event", Duration.ofSeconds(2), () -> {
        try {
          return redis.cli("GET", "switchboard:out:_last").equals(String.valueOf(seqs.getLast()));
        } catch (Exception e) {
          return false;
        }
      });
      // The mirror's own connection comes back after a Redis restart, and carries on after the last event it
      // mirrored (this Redis keeps nothing, so the stream starts empty).
      redis.stop();
      redis.start();
      for (int n = 61; n <= 80; n++) {
        assertThat(cluster.publish(cluster.node(n % 2), "tenant:t1:news", "news", new JsonObject().put("n", n))
            .statusCode()).isEqualTo(202);
      }
      List<Long> after = mirrored(redis, 20);
      for (int i = 0; i < after.size(); i++) {
        assertThat(after.get(i)).isEqualTo(seqs.getLast() + 1 + i);
      }
    }
  }

  /** Waits until the mirror's stream holds {@code count} entries, and returns their sequence numbers in order. */
  private static List<Long> mirrored(RedisServer redis, int count) throws Exception {
    Await.until(count + " mirrored entries", Duration.ofSeconds(20), () -> {
      try {
        return redis.cli("XLEN", "switchboard:events:out").equals(String.valueOf(count));
      } catch (Exception e) {
        return false;
      }
    });
    List<Long> seqs = redis.cli("XRANGE", "switchboard:events:out", "-", "+").lines()
        .filter(l -> l.startsWith("{")).map(l -> new JsonObject(l).getLong("id")).toList();
    assertThat(seqs).hasSize(count);
    return seqs;
  }
}
