package io.switchboard.node.cluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edges of access: where a stream's credentials may come from (a cookie, single-use tickets redeemed on any
 * node, expiring), which browser origins may call, and how fast one token may publish.
 */
class AccessEdgesTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start("access-edges", 3, Map.of("SB_STREAM_TICKET_TTL", "2s",
        "SB_CORS_ORIGINS", "https://shop.example", "SB_PUBLISH_RATE", "2", "SB_PUBLISH_BURST", "2",
        "SB_MAX_STREAMS_PER_USER", "2", "SB_STREAM_QUOTA_TTL", "3s", "SB_MAX_STREAMS_PER_IP", "3"));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void a_ticket_from_one_node_opens_one_stream_on_another_node_once() throws Exception {
    ApiClient api = new ApiClient(cluster.node(1).url(), cluster.dispatcherToken);
    ApiClient.Response issued = api.post("/api/v1/realtime/tickets", null);
    assertThat(issued.status()).isEqualTo(201);
    assertThat(issued.header("Cache-Control")).isEqualTo("no-store");
    String ticket = issued.json().getString("ticket");
    assertThat(issued.json().getInteger("expiresIn")).isEqualTo(2);

    String stream = cluster.node(0).url() + "/api/v1/realtime/stream?channel=tenant:t1:x&ticket=" + ticket;
    assertThat(firstBytes(HttpRequest.newBuilder(URI.create(stream)))).contains("\"type\":\"connected\"");
    HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(URI.create(stream)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(again.body()).contains("\"error\":\"unauthorized\"");

    HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(URI.create(
        cluster.node(0).url() + "/api/v1/realtime/stream?channel=x&ticket=not-a-ticket")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(new ApiClient(cluster.node(0).url(), null).post("/api/v1/realtime/tickets", null).status())
        .as("a ticket needs a token").isEqualTo(401);
  }

  @Test
  void the_access_token_cookie_authenticates_a_stream() throws Exception {
    String stream = cluster.node(0).url() + "/api/v1/realtime/stream?channel=tenant:t1:x";
    assertThat(firstBytes(HttpRequest.newBuilder(URI.create(stream))
        .header("Cookie", "theme=dark; access_token=" + cluster.dispatcherToken))).contains("\"type\":\"connected\"");
    HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create(stream))
        .header("Cookie", "access_token=forged").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(401);
  }

  @Test
  void an_unused_ticket_expires() throws Exception {
    String ticket = new ApiClient(cluster.node(0).url(), cluster.dispatcherToken)
        .post("/api/v1/realtime/tickets", null).json().getString("ticket");
    Thread.sleep(2_500);
    HttpResponse<String> late = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.node(1).url()
        + "/api/v1/realtime/stream?channel=tenant:t1:x&ticket=" + ticket)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(late.statusCode()).isEqualTo(401);
  }

  @Test
  void only_configured_browser_origins_get_cors_headers_with_credentials() throws Exception {
    String url = cluster.node(0).url() + "/api/v1/realtime/stream?channel=x";
    HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://shop.example")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization,last-event-id").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(preflight.statusCode()).isIn(200, 204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("https://shop.example");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");

    HttpResponse<String> foreign = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.node(0).url()
        + "/health/live")).header("Origin", "https://evil.example").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void a_refused_browser_origin_gets_a_403_json_error_not_a_server_error() throws Exception {
    for (String path : List.of("/health/live", "/api/v1/realtime/stream?channel=tenant:t1:x", "/api/v1/events")) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.node(0).url() + path))
          .header("Origin", "https://evil.example").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(403);
      assertThat(new io.vertx.core.json.JsonObject(r.body()).getString("error")).isEqualTo("forbidden");
      assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
    String log = java.nio.file.Files.readString(java.nio.file.Path.of("target", "cluster-logs", "access-edges",
        "node-1.log"));
    assertThat(log).doesNotContain("CORS Rejected").doesNotContain("Unexpected failure");
  }

  @Test
  void a_change_authenticated_by_the_cookie_alone_must_prove_it_is_not_a_cross_site_form() throws Exception {
    String token = TestCluster.token("csrf-service", "service", "t1");
    String body = "{\"channels\":[\"tenant:t1:csrf\"],\"type\":\"t\",\"data\":{}}";
    // What a form on another site makes a browser send: the cookie, a simple content type, nothing else.
    HttpResponse<String> form = HTTP.send(post(body, "Cookie", "access_token=" + token, "Content-Type",
        "text/plain"), HttpResponse.BodyHandlers.ofString());
    assertThat(form.statusCode()).as(form.body()).isEqualTo(403);
    assertThat(form.body()).contains("\"error\":\"csrf_refused\"");
    // A page's own script can add a header a form cannot; an allowed origin is a CORS-checked app.
    assertThat(HTTP.send(post(body, "Cookie", "access_token=" + token, "X-Requested-With", "fetch"),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);
    assertThat(HTTP.send(post(body, "Cookie", "access_token=" + TestCluster.token("csrf-2", "service", "t1"),
        "Origin", "https://shop.example"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);
    // A bearer token is not sent by browsers on their own: no proof needed.
    assertThat(HTTP.send(post(body, "Authorization", "Bearer " + TestCluster.token("csrf-3", "service", "t1"),
        "Cookie", "access_token=forged"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);
    // Reading with the cookie stays as it was: EventSource sends nothing else.
    assertThat(firstBytes(HttpRequest.newBuilder(URI.create(cluster.node(0).url()
        + "/api/v1/realtime/stream?channel=tenant:t1:csrf")).header("Cookie", "access_token=" + token)))
        .contains("\"type\":\"connected\"");
  }

  private HttpRequest post(String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.node(0).url() + "/api/v1/events"))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  @Test
  void a_token_that_publishes_too_fast_gets_429_with_retry_after() throws Exception {
    java.util.List<Integer> statuses = new java.util.ArrayList<>();
    HttpResponse<String> last = null;
    for (int i = 0; i < 4; i++) {
      last = cluster.publish(cluster.node(0), "tenant:t1:rate", "tick", new io.vertx.core.json.JsonObject().put("n", i));
      statuses.add(last.statusCode());
    }
    assertThat(statuses.subList(0, 2)).containsOnly(202);
    assertThat(statuses).contains(429);
    assertThat(last.statusCode()).isEqualTo(429);
    assertThat(last.headers().firstValue("Retry-After")).isPresent();
    assertThat(last.body()).contains("\"error\":\"rate_limited\"");
  }

  @Test
  void a_user_has_at_most_its_streams_across_the_cluster_and_gets_them_back_when_a_node_dies() throws Exception {
    String token = TestCluster.token("busy-user", "dispatcher", "t1");
    String path = "/api/v1/realtime/stream?channel=tenant:t1:busy";
    try (InputStream first = openStream(cluster.node(1).url() + path, token);
         InputStream second = openStream(cluster.node(2).url() + path, token)) {
      Thread.sleep(300);
      HttpResponse<String> third = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.node(1).url() + path))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(third.statusCode()).as("2 streams open on two other nodes").isEqualTo(429);
      assertThat(third.body()).contains("\"error\":\"too_many_streams\"");

      cluster.node(2).kill(); // SIGKILL: its count is never released, it expires
      io.switchboard.core.testing.Await.until("the dead node's streams stop counting", Duration.ofSeconds(15), () -> {
        try {
          HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.node(1).url() + path))
              .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
          r.body().close();
          return r.statusCode() == 200;
        } catch (Exception e) {
          return false;
        }
      });
    }
  }

  @Test
  void a_client_address_has_at_most_its_streams_on_a_node_even_behind_the_balancer() throws Exception {
    String path = cluster.node(0).url() + "/api/v1/realtime/stream?channel=tenant:t1:ip";
    List<InputStream> open = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        open.add(openStream(path, TestCluster.token("ip-user-" + i, "dispatcher", "t1"), "198.51.100.1"));
      }
      String token = TestCluster.token("ip-user-9", "dispatcher", "t1");
      assertThat(status(path, token, "198.51.100.1")).isEqualTo(429);
      assertThat(status(path, token, "203.0.113.5, 198.51.100.1"))
          .as("hops a client prepends do not change who it is").isEqualTo(429);
      open.add(openStream(path, token, "198.51.100.2"));
    } finally {
      for (InputStream in : open) {
        in.close();
      }
    }
  }

  private static int status(String url, String token, String forwardedFor) throws Exception {
    HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token).header("X-Forwarded-For", forwardedFor).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    r.body().close();
    return r.statusCode();
  }

  private static InputStream openStream(String url, String token, String forwardedFor) throws Exception {
    HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token).header("X-Forwarded-For", forwardedFor).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static InputStream openStream(String url, String token) throws Exception {
    HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static String firstBytes(HttpRequest.Builder request) throws Exception {
    HttpResponse<InputStream> r = HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    try (InputStream in = r.body()) {
      byte[] buf = new byte[512];
      StringBuilder sb = new StringBuilder();
      while (!sb.toString().contains("\n\n")) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
      return sb.toString();
    }
  }
}
