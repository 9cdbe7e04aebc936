package io.switchboard.node.cluster;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's files, its settings and the development sign-in, over plain HTTP. */
class ConsoleRoutesTest {

  @Test
  void the_console_is_served_with_its_own_leaflet_and_the_dev_sign_in_mints_a_working_dispatcher_token()
      throws Exception {
    try (TestCluster cluster = TestCluster.start("console-routes", 1, Map.of("SB_DEV_SIGNIN", "true",
        "SB_DEV_SIGNIN_TENANT", "demo-x", "SB_CONSOLE_TILE_URL", "http://tiles.invalid/{z}/{x}/{y}.png"))) {
      String url = cluster.node(0).url();
      HttpResponse<String> root = get(url + "/");
      assertThat(root.statusCode()).isEqualTo(302);
      assertThat(root.headers().firstValue("Location")).hasValue("/console/");
      assertThat(get(url + "/console").headers().firstValue("Location")).hasValue("/console/");
      HttpResponse<String> page = get(url + "/console/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
      assertThat(page.body()).contains("vendor/leaflet/leaflet.js").doesNotContain("unpkg").doesNotContain("cdn");
      HttpResponse<String> leaflet = get(url + "/console/vendor/leaflet/leaflet.js");
      assertThat(leaflet.statusCode()).as("Leaflet ships in the jar").isEqualTo(200);
      assertThat(leaflet.body()).contains("Leaflet");
      assertThat(get(url + "/console/js/app.js").headers().firstValue("Content-Type").orElse(""))
          .contains("javascript");
      assertThat(get(url + "/console/nothing-here.js").statusCode()).isEqualTo(404);

      JsonObject config = new JsonObject(get(url + "/console/config.json").body());
      assertThat(config.getString("tileUrl")).isEqualTo("http://tiles.invalid/{z}/{x}/{y}.png");
      assertThat(config.getBoolean("devSignIn")).isTrue();
      assertThat(config.getLong("staleAfterMs")).as("SB_FLEET_STALE_AFTER's default").isEqualTo(600_000L);

      HttpResponse<String> signIn = post(url + "/console/dev-token");
      assertThat(signIn.statusCode()).isEqualTo(200);
      assertThat(signIn.headers().firstValue("Cache-Control")).hasValue("no-store");
      JsonObject minted = new JsonObject(signIn.body());
      assertThat(minted.getString("role")).isEqualTo("dispatcher");
      assertThat(minted.getString("tenant")).isEqualTo("demo-x");
      ApiClient asDispatcher = new ApiClient(url, minted.getString("token"));
      assertThat(asDispatcher.get("/api/v1/runs?status=active").status()).isEqualTo(200);
      assertThat(asDispatcher.post("/api/v1/realtime/tickets", null).status()).isEqualTo(201);

      HttpResponse<String> badName = post(url + "/console/dev-token?name=" + "x".repeat(65));
      assertThat(badName.statusCode()).isEqualTo(400);
      assertThat(new JsonObject(badName.body()).getString("error")).isEqualTo("bad_request");
    }
  }

  @Test
  void without_the_flag_there_is_no_dev_sign_in() throws Exception {
    try (TestCluster cluster = TestCluster.start("console-no-dev", 1, Map.of())) {
      String url = cluster.node(0).url();
      assertThat(new JsonObject(get(url + "/console/config.json").body()).getBoolean("devSignIn")).isFalse();
      HttpResponse<String> signIn = post(url + "/console/dev-token");
      assertThat(signIn.statusCode()).isEqualTo(404);
      assertThat(new JsonObject(signIn.body()).getString("error")).isEqualTo("not_found");
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return TestCluster.send(HttpRequest.newBuilder(URI.create(url)).GET().build());
  }

  private static HttpResponse<String> post(String url) throws Exception {
    return TestCluster.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build());
  }
}
