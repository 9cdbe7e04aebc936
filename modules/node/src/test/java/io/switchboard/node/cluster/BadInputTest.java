package io.switchboard.node.cluster;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets a clear JSON error with the right status, and the node keeps serving. */
class BadInputTest {

  private static TestCluster cluster;

  @BeforeAll
  static void startNode() throws Exception {
    cluster = TestCluster.start("bad-input", 1, Map.of("SB_HTTP_MAX_BODY_BYTES", "2048"));
  }

  @AfterAll
  static void stopNode() {
    cluster.close();
  }

  private static HttpResponse<String> post(String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.node(0).url() + path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return TestCluster.send(b.build());
  }

  private static HttpResponse<String> get(String pathAndQuery, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.node(0).url() + pathAndQuery))
        .timeout(Duration.ofSeconds(10));
    headers.forEach(b::header);
    return TestCluster.send(b.build());
  }

  private static void assertJsonError(HttpResponse<String> r, int status, String error) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("error")).isEqualTo(error);
    assertThat(body.getString("message")).isNotBlank();
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @ParameterizedTest(name = "publishing {0} is refused with {1} {2}")
  @CsvSource(delimiter = '|', value = {
      "malformed JSON                | 400 | invalid_json | {\"channels\": [",
      "a JSON array                  | 400 | invalid_json | [1,2]",
      "no channels                   | 400 | bad_request  | {\"type\":\"t\",\"data\":{}}",
      "an empty channel list         | 400 | bad_request  | {\"channels\":[],\"type\":\"t\"}",
      "a channel with a space        | 400 | bad_request  | {\"channels\":[\"a b\"],\"type\":\"t\"}",
      "a channel with a newline      | 400 | bad_request  | {\"channels\":[\"a\\nid: 9\"],\"type\":\"t\"}",
      "a numeric channel             | 400 | bad_request  | {\"channels\":[5],\"type\":\"t\"}",
      "no type                       | 400 | bad_request  | {\"channels\":[\"a\"]}",
      "a type with a newline         | 400 | bad_request  | {\"channels\":[\"a\"],\"type\":\"x\\ndata: y\"}",
  })
  void publishing_bad_bodies_is_refused(String what, int status, String error, String body) throws Exception {
    assertJsonError(post("/api/v1/events", cluster.serviceToken, body), status, error);
  }

  @Test
  void publishing_a_body_over_the_limit_is_refused_with_413() throws Exception {
    String big = "{\"channels\":[\"a\"],\"type\":\"t\",\"data\":{\"x\":\"" + "y".repeat(4096) + "\"}}";
    assertJsonError(post("/api/v1/events", cluster.serviceToken, big), 413, "payload_too_large");
  }

  @Test
  void publishing_needs_a_valid_token_of_a_publishing_role() throws Exception {
    String ok = "{\"channels\":[\"tenant:t1:a\"],\"type\":\"t\",\"data\":{}}";
    assertJsonError(post("/api/v1/events", null, ok), 401, "unauthorized");
    assertJsonError(post("/api/v1/events", "not.a.token", ok), 401, "unauthorized");
    assertJsonError(post("/api/v1/events", forgedNoneToken(), ok), 401, "unauthorized");
    assertJsonError(post("/api/v1/events", tampered(cluster.serviceToken), ok), 401, "unauthorized");
    assertJsonError(post("/api/v1/events", cluster.customerToken, ok), 403, "forbidden");
    assertThat(post("/api/v1/events", cluster.serviceToken, ok).statusCode()).isEqualTo(202);
  }

  @Test
  void subscribing_with_bad_parameters_is_refused_before_any_stream_starts() throws Exception {
    Map<String, String> auth = Map.of("Authorization", "Bearer " + cluster.customerToken);
    assertJsonError(get("/api/v1/realtime/stream", auth), 400, "bad_request");
    assertJsonError(get("/api/v1/realtime/stream?channel=a%20b", auth), 400, "bad_request");
    assertJsonError(get("/api/v1/realtime/stream?channel=a&lastEventId=abc", auth), 400, "bad_request");
    assertJsonError(get("/api/v1/realtime/stream?channel=a",
        Map.of("Authorization", "Bearer " + cluster.customerToken, "Last-Event-ID", "-3")), 400, "bad_request");
    assertJsonError(get("/api/v1/realtime/stream?channel=a", Map.of()), 401, "unauthorized");
    assertJsonError(get("/api/v1/realtime/stream?channel=a&access_token=" + forgedNoneToken(), Map.of()),
        401, "unauthorized");
  }

  @Test
  void unknown_routes_and_methods_get_json_errors_and_the_node_stays_ready() throws Exception {
    assertJsonError(get("/nope", Map.of()), 404, "not_found");
    assertJsonError(get("/api/v1/events", Map.of()), 405, "method_not_allowed");
    assertThat(cluster.node(0).ready(1)).isTrue();
  }

  /** {"alg":"none"} with the payload of a real service token and no signature. */
  private static String forgedNoneToken() {
    String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
    return header + "." + cluster.serviceToken.split("\\.")[1] + ".";
  }

  private static String tampered(String token) {
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"service\"", "\"admin\"");
    return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
  }
}
