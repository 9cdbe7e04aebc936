package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/realtime/poll}, the long-poll fallback, on two nodes with a tiny memory window. */
class PollTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    // 5 events in memory and pages of 7: an old position is read from PostgreSQL, page by page.
    cluster = TestCluster.start("poll", 2, Map.of("SB_FEED_MEMORY_EVENTS", "5", "SB_SSE_REPLAY_PAGE_SIZE", "7"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static HttpResponse<String> poll(int node, String query, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.node(node).url() + "/api/v1/realtime/poll?" + query))
        .timeout(Duration.ofSeconds(40));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return new JsonObject(r.body());
  }

  @Test
  void a_client_polling_page_by_page_from_an_old_position_gets_exactly_its_channels_events_then_waits_for_the_next()
      throws Exception {
    String mine = "tenant:t1:poll-a";
    long first = ok(poll(0, "channel=" + mine, cluster.dispatcherToken)).getLong("lastEventId");
    List<Long> expected = new ArrayList<>();
    for (int n = 0; n < 30; n++) {
      String channel = n % 3 == 0 ? mine : "tenant:t1:poll-other";
      cluster.publish(cluster.node(n % 2), channel, "order_update", new JsonObject().put("n", n));
      if (n % 3 == 0) {
        expected.add(first + n + 1);
      }
    }
    Await.until("all numbered", Duration.ofSeconds(10),
        () -> cluster.node(1).health().getLong("head", 0L) >= first + 30);

    List<Long> got = new ArrayList<>();
    long position = first;
    int polls = 0;
    boolean more = true;
    while (more && polls++ < 10) {
      JsonObject answer = ok(poll(polls % 2, "channel=" + mine + "&lastEventId=" + position + "&timeout=1",
          cluster.dispatcherToken));
      JsonArray events = answer.getJsonArray("events");
      events.forEach(e -> got.add(((JsonObject) e).getLong("id")));
      for (Object e : events) {
        assertThat(((JsonObject) e).getJsonArray("channels")).containsExactly(mine);
      }
      assertThat(answer.getLong("lastEventId")).isGreaterThanOrEqualTo(position);
      position = answer.getLong("lastEventId");
      more = answer.getBoolean("hasMore") || !events.isEmpty();
    }
    assertThat(got).containsExactlyElementsOf(expected);

    // Caught up: the next poll waits, and is answered by the next event as soon as it is published.
    long caughtUp = position;
    CompletableFuture<HttpResponse<String>> waiting = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(
            cluster.node(1).url() + "/api/v1/realtime/poll?timeout=20&channel=" + mine + "&lastEventId=" + caughtUp))
        .header("Authorization", "Bearer " + cluster.dispatcherToken).build(), HttpResponse.BodyHandlers.ofString());
    Thread.sleep(500);
    assertThat(waiting).isNotDone();
    long published = System.nanoTime();
    cluster.publish(cluster.node(0), mine, "order_update", new JsonObject().put("n", "live"));
    JsonObject live = ok(waiting.get());
    assertThat(Duration.ofNanos(System.nanoTime() - published)).isLessThan(Duration.ofSeconds(5));
    assertThat(live.getJsonArray("events")).hasSize(1);
    assertThat(live.getJsonArray("events").getJsonObject(0).getJsonObject("data").getString("n")).isEqualTo("live");
    assertThat(live.getLong("lastEventId")).isEqualTo(live.getJsonArray("events").getJsonObject(0).getLong("id"));
  }

  @Test
  void a_poll_with_nothing_to_say_answers_empty_after_its_timeout_and_keeps_its_position() throws Exception {
    long head = ok(poll(0, "channel=tenant:t1:quiet", cluster.dispatcherToken)).getLong("lastEventId");
    long start = System.nanoTime();
    JsonObject answer = ok(poll(1, "channel=tenant:t1:quiet&timeout=1&lastEventId=" + head, cluster.dispatcherToken));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
    assertThat(answer.getJsonArray("events")).isEmpty();
    assertThat(answer.getLong("lastEventId")).isGreaterThanOrEqualTo(head);
    assertThat(answer.getBoolean("hasMore")).isFalse();
  }

  @Test
  void a_position_beyond_any_issued_id_gets_a_reset_with_the_head() throws Exception {
    JsonObject answer = ok(poll(0, "channel=tenant:t1:x&lastEventId=999999999", cluster.dispatcherToken));
    assertThat(answer.getJsonObject("reset").getString("type")).isEqualTo("reset");
    assertThat(answer.getJsonObject("reset").getLong("requestedLastEventId")).isEqualTo(999999999L);
    assertThat(answer.getLong("lastEventId")).isEqualTo(answer.getJsonObject("reset").getLong("lastEventId"));
  }

  @Test
  void bad_polls_get_clear_json_errors() throws Exception {
    String t = cluster.dispatcherToken;
    Map<String, Integer> cases = Map.of(
        "timeout=abc&channel=tenant:t1:x", 400,
        "timeout=31&channel=tenant:t1:x", 400,
        "timeout=-1&channel=tenant:t1:x", 400,
        "lastEventId=-3&channel=tenant:t1:x", 400,
        "lastEventId=x&channel=tenant:t1:x", 400,
        "channel=", 400,
        "channel=tenant:t1:%3Cscript%3E", 400,
        "timeout=1", 400,
        "channel=tenant:other:x", 403);
    for (var c : cases.entrySet()) {
      HttpResponse<String> r = poll(0, c.getKey(), t);
      assertThat(r.statusCode()).as(c.getKey() + ": " + r.body()).isEqualTo(c.getValue());
      JsonObject error = new JsonObject(r.body());
      assertThat(error.getString("error")).as(c.getKey()).isNotBlank();
      assertThat(error.getString("message")).as(c.getKey()).isNotBlank();
    }
    HttpResponse<String> anonymous = poll(0, "channel=tenant:t1:x", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(anonymous.body()).getString("error")).isEqualTo("unauthorized");
    assertThat(cluster.node(0).ready(2)).isTrue();
  }
}
