package io.switchboard.node.cluster;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JavaScript client package (clients/js) against 3 node processes behind the project's nginx, and behind a
 * second nginx that buffers responses as some proxies do (src/test/js/client/cluster.test.mjs): token refresh under
 * a stream, the fall back to polling, and a SIGKILLed serving node, each with every accepted event exactly once.
 */
class JsClientTest {

  private static TestCluster cluster;
  private static NginxBalancer lb;
  private static NginxBalancer buffering;
  private static JsonObject config;

  @BeforeAll
  static void start() throws Exception {
    // No leeway: a 4 s token ends its stream 4 s after it was issued.
    cluster = TestCluster.start("js-client", 3, Map.of("SB_JWT_LEEWAY", "0s"));
    lb = NginxBalancer.start("js-client", cluster.nodes);
    buffering = NginxBalancer.start("js-client-buffering", cluster.nodes, NginxBalancer::buffering);
    config = new JsonObject()
        .put("lb", lb.url())
        .put("bufferingLb", buffering.url())
        .put("nodes", cluster.nodesJson())
        .put("tenant", "js-client")
        .put("secret", TestCluster.SECRET);
  }

  @AfterAll
  static void stop() throws Exception {
    if (buffering != null) {
      buffering.close();
    }
    if (lb != null) {
      lb.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void the_package_resumes_exactly_across_token_expiry_a_buffering_balancer_and_a_sigkilled_node() throws Exception {
    NodeTestSuite.Result r = NodeTestSuite.run("client/cluster.test.mjs", config, Duration.ofMinutes(3));
    assertThat(r.exitCode()).as(r.report()).isZero();
  }
}
