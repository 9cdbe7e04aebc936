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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a stream's credentials may come from: a cookie, and single-use tickets redeemed on any node. */
class TokenSourcesTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start("token-sources", 2, Map.of());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void a_ticket_from_one_node_opens_one_stream_on_another_node_once() throws Exception {
    ApiClient api = new ApiClient(cluster.node(1).url(), cluster.customerToken);
    ApiClient.Response issued = api.post("/api/v1/realtime/tickets", null);
    assertThat(issued.status()).isEqualTo(201);
    assertThat(issued.header("Cache-Control")).isEqualTo("no-store");
    String ticket = issued.json().getString("ticket");
    assertThat(issued.json().getInteger("expiresIn")).isEqualTo(30);

    String stream = cluster.node(0).url() + "/api/v1/realtime/stream?channel=user:customer-1&ticket=" + ticket;
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
    String stream = cluster.node(0).url() + "/api/v1/realtime/stream?channel=user:customer-1";
    assertThat(firstBytes(HttpRequest.newBuilder(URI.create(stream))
        .header("Cookie", "theme=dark; access_token=" + cluster.customerToken))).contains("\"type\":\"connected\"");
    HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create(stream))
        .header("Cookie", "access_token=forged").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(401);
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
