package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No client may hold what it does not use: a connection that sends nothing, or its head or body too slowly, is
 * closed (a stream that is being written is not); the OsmAnd port has a connection cap; stream opens, tickets and
 * unknown device keys are rate-limited per client; an anonymous resume is replayed at a bounded pace.
 */
class SlowAndGreedyClientsTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static TestCluster cluster;
  private static NodeProcess node;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start("slow-and-greedy", 1, Map.ofEntries(
        Map.entry("SB_HTTP_HEADER_TIMEOUT", "2s"), Map.entry("SB_HTTP_BODY_TIMEOUT", "1s"),
        Map.entry("SB_HTTP_KEEPALIVE_TIMEOUT", "2s"), Map.entry("SB_OSMAND_MAX_CONNECTIONS", "4"),
        Map.entry("SB_STREAM_OPEN_RATE", "1"), Map.entry("SB_STREAM_OPEN_BURST", "3"),
        Map.entry("SB_TICKET_RATE", "1"), Map.entry("SB_TICKET_BURST", "2"),
        Map.entry("SB_OSMAND_UNKNOWN_PER_MINUTE", "3"), Map.entry("SB_ANONYMOUS_REPLAY_RATE", "40"),
        Map.entry("SB_SSE_REPLAY_PAGE_SIZE", "20"), Map.entry("SB_FEED_MEMORY_EVENTS", "5"),
        Map.entry("SB_SSE_HEARTBEAT", "60s")));
    node = cluster.node(0);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Whether the server closed the socket within {@code seconds} (read returns end of stream). */
  private static boolean closedWithin(Socket s, double seconds) throws Exception {
    s.setSoTimeout((int) (seconds * 1000));
    InputStream in = s.getInputStream();
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  private static void send(Socket s, String text) throws Exception {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Test
  void a_connection_that_sends_nothing_or_too_slowly_is_closed_on_both_ports() throws Exception {
    for (int port : List.of(node.httpPort, node.osmandPort())) {
      try (Socket silent = new Socket("127.0.0.1", port)) {
        assertThat(closedWithin(silent, 4)).as("silent on " + port).isTrue();
      }
      try (Socket slowHead = new Socket("127.0.0.1", port)) {
        send(slowHead, "GET /health/live HTTP/1.1\r\nHost: x\r\n");
        assertThat(closedWithin(slowHead, 4)).as("an unfinished head on " + port).isTrue();
      }
      try (Socket slowBody = new Socket("127.0.0.1", port)) {
        send(slowBody, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\"");
        assertThat(closedWithin(slowBody, 4)).as("an unfinished body on " + port).isTrue();
      }
    }
    // Kept alive after an answer: open a while, then closed.
    try (Socket keptAlive = new Socket("127.0.0.1", node.httpPort)) {
      send(keptAlive, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
      keptAlive.setSoTimeout(3000);
      byte[] buf = new byte[4096];
      assertThat(new String(buf, 0, keptAlive.getInputStream().read(buf), StandardCharsets.US_ASCII))
          .startsWith("HTTP/1.1 200");
      assertThat(closedWithin(keptAlive, 1)).as("within the keep-alive time").isFalse();
      assertThat(closedWithin(keptAlive, 4)).as("after it").isTrue();
    }
  }

  @Test
  void a_stream_that_is_being_written_outlives_every_read_deadline() throws Exception {
    // One authenticated, one anonymous (admitted at once, before the request was even read to its end).
    try (OneStream stream = OneStream.open(node.url() + "/api/v1/realtime/stream?channel=tenant:t1:quiet",
        "Authorization", "Bearer " + cluster.dispatcherToken, "X-Forwarded-For", "203.0.113.50");
         OneStream anonymous = OneStream.open(node.url() + "/api/realtime/events?tenant=t1",
             "X-Forwarded-For", "203.0.113.51")) {
      assertThat(stream.status).isEqualTo(200);
      assertThat(anonymous.status).isEqualTo(200);
      Thread.sleep(4_000); // past the head, body and keep-alive deadlines, with no heartbeat either
      cluster.publish(node, "tenant:t1:quiet", "ping", new JsonObject().put("n", 1));
      Await.until("the event", Duration.ofSeconds(5), () -> !stream.ofType("ping").isEmpty());
      assertThat(stream.ended()).isFalse();
      assertThat(anonymous.ended()).isFalse();
    }
  }

  @Test
  void the_osmand_port_takes_at_most_its_connection_cap() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        held.add(new Socket("127.0.0.1", node.osmandPort()));
      }
      Thread.sleep(200);
      try (Socket fifth = new Socket("127.0.0.1", node.osmandPort())) {
        assertThat(closedWithin(fifth, 0.5)).as("beyond the cap: closed at once").isTrue();
      }
      assertThat(closedWithin(held.get(0), 0.1)).as("the ones within it are open").isFalse();
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    Await.until("room again once they closed", Duration.ofSeconds(5), () -> {
      try (Socket again = new Socket("127.0.0.1", node.osmandPort())) {
        send(again, "GET /?id=nobody-" + UUID.randomUUID() + "&lat=1&lon=1 HTTP/1.1\r\nHost: x\r\n"
            + "X-Forwarded-For: 203.0.113.99\r\nConnection: close\r\n\r\n");
        again.setSoTimeout(2000);
        byte[] buf = new byte[256];
        int n = again.getInputStream().read(buf);
        return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 400");
      } catch (Exception e) {
        return false;
      }
    });
  }

  @Test
  void an_address_opening_streams_in_a_loop_gets_429_and_others_do_not() throws Exception {
    String path = node.url() + "/api/v1/realtime/stream?channel=tenant:t1:loop";
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(path))
          .header("Authorization", "Bearer " + cluster.dispatcherToken).header("X-Forwarded-For", "198.51.100.7")
          .build(), HttpResponse.BodyHandlers.ofInputStream());
      statuses.add(r.statusCode());
      if (r.statusCode() == 429) {
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(new String(r.body().readAllBytes())).contains("too_many_stream_opens");
      }
      r.body().close();
    }
    assertThat(statuses.subList(0, 3)).containsOnly(200);
    assertThat(statuses).contains(429);
    HttpResponse<InputStream> other = HTTP.send(HttpRequest.newBuilder(URI.create(path))
        .header("Authorization", "Bearer " + cluster.dispatcherToken).header("X-Forwarded-For", "198.51.100.8")
        .build(), HttpResponse.BodyHandlers.ofInputStream());
    other.body().close();
    assertThat(other.statusCode()).isEqualTo(200);
  }

  @Test
  void stream_tickets_are_rate_limited_per_token_subject() throws Exception {
    ApiClient api = new ApiClient(node.url(), TestCluster.token("ticket-hungry", "dispatcher", "t1"));
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      statuses.add(api.post("/api/v1/realtime/tickets", null).status());
    }
    assertThat(statuses.subList(0, 2)).containsOnly(201);
    assertThat(statuses).contains(429);
    assertThat(new ApiClient(node.url(), TestCluster.token("someone-else", "dispatcher", "t1"))
        .post("/api/v1/realtime/tickets", null).status()).isEqualTo(201);
  }

  @Test
  void an_address_guessing_device_keys_gets_the_same_429_for_known_and_unknown_keys() throws Exception {
    CommerceFixture fx = new CommerceFixture(node.url(), null, 1);
    String driver = "d-" + UUID.randomUUID().toString().substring(0, 8);
    fx.api.created("/api/v1/drivers", new JsonObject().put("id", driver).put("tenantId", fx.tenant).put("name", "D"));
    String device = "123456";
    fx.api.created("/api/v1/devices", new JsonObject().put("deviceId", device).put("driverId", driver));
    List<Integer> guesses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      guesses.add(osmand("10000" + i, "192.0.2.66"));
    }
    assertThat(guesses.subList(0, 3)).containsOnly(400);
    assertThat(guesses.subList(3, 5)).containsOnly(429);
    assertThat(osmand(device, "192.0.2.66")).as("the right key tells the guesser nothing").isEqualTo(429);
    assertThat(osmand(device, "192.0.2.67")).as("another address is served").isEqualTo(200);
  }

  private static int osmand(String key, String from) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.osmandPort() + "/?id=" + key
            + "&lat=52.5&lon=13.4&timestamp=" + System.currentTimeMillis() / 1000)).header("X-Forwarded-For", from)
        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void an_anonymous_resume_from_postgresql_is_replayed_at_a_bounded_pace_and_completely() throws Exception {
    ApiClient service = new ApiClient(node.url(), cluster.serviceToken);
    for (int n = 0; n < 100; n++) {
      ApiClient.Response r = service.post("/api/v1/events", new JsonObject()
          .put("channels", List.of("stock:t1")).put("type", "stock.adjusted")
          .put("data", new JsonObject().put("variantId", "v").put("stockQuantity", n).put("quantityChange", 1)));
      assertThat(r.status()).isEqualTo(202);
    }
    Await.until("numbered", Duration.ofSeconds(10), () -> node.health().getLong("head", 0L) >= 100);
    long started = System.nanoTime();
    try (OneStream anonymous = OneStream.open(node.url() + "/api/realtime/events?tenant=t1&lastEventId=0",
        "X-Forwarded-For", "203.0.113.77")) {
      assertThat(anonymous.status).isEqualTo(200);
      Await.until("every missed stock event", Duration.ofSeconds(15),
          () -> anonymous.frames.stream().filter(f -> f.id() != null && "stock_updated".equals(f.type()))
              .map(SseTestClient.Frame::id).distinct().count() == 100);
      double seconds = (System.nanoTime() - started) / 1e9;
      // 5 pages of 20 at 40 events a second: the four pauses after the first page take 2 s.
      assertThat(seconds).isGreaterThan(1.8);
    }
  }
}
