package io.switchboard.node.cluster;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Socket.IO with the real {@code socket.io-client} package (node:test files in src/test/js/socketio) against 3 node
 * processes behind the project's nginx configuration (round-robin, no sticky sessions): the seed frontends, every
 * transport, hostile input, and SIGKILLed nodes under connected clients. The cluster and a commerce fixture are
 * made here; each file's tests run in order in one Node.js process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SocketIoClientsTest {

  private static TestCluster cluster;
  private static NginxBalancer lb;
  private static JsonObject config;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start("socketio-clients", 3, Map.of());
    lb = NginxBalancer.start("socketio-clients", cluster.nodes);
    CommerceFixture fx = new CommerceFixture(lb.url(), "diner-1", 8);
    CommerceFixture other = new CommerceFixture(lb.url(), "diner-2", 8);
    config = new JsonObject()
        .put("lb", lb.url())
        .put("nodes", cluster.nodesJson())
        .put("tenant", fx.tenant).put("shop", fx.shop).put("customer", fx.customer).put("variant", fx.variant)
        .put("otherTenant", other.tenant).put("otherShop", other.shop).put("otherCustomer", other.customer)
        .put("tokens", new JsonObject()
            .put("service", fx.serviceToken)
            .put("seller", fx.token("seller-1", "dispatcher"))
            .put("customer", fx.token(fx.customer, "customer"))
            .put("otherCustomer", other.token(other.customer, "customer"))
            .put("otherSeller", other.token("seller-2", "dispatcher"))
            .put("forged", forged(fx.token(fx.customer, "customer")))
            .put("expired", TestCluster.token(fx.customer, "customer", fx.tenant, new JsonObject(),
                Duration.ofSeconds(-120))));
  }

  /** The same token with a character of its signature changed (not the last: its low bits are padding). */
  private static String forged(String token) {
    int i = token.length() - 10;
    char c = token.charAt(i);
    return token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
  }

  @AfterAll
  static void stop() throws Exception {
    if (lb != null) {
      lb.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static void passes(String file) throws Exception {
    NodeTestSuite.Result r = NodeTestSuite.run("socketio/" + file, config, Duration.ofMinutes(4));
    assertThat(r.exitCode()).as(r.report()).isZero();
  }

  @Test
  @Order(1)
  void the_seed_frontends_as_written_receive_every_event_of_the_story() throws Exception {
    passes("seeds.test.mjs");
  }

  @Test
  @Order(2)
  void polling_websocket_and_the_upgrade_work_through_a_round_robin_balancer_without_sticky_sessions()
      throws Exception {
    passes("transports.test.mjs");
  }

  @Test
  @Order(3)
  void refused_rooms_namespaces_tokens_and_malformed_input_get_clear_errors_and_hurt_nobody_else() throws Exception {
    passes("hostile.test.mjs");
    for (NodeProcess n : cluster.nodes) {
      assertThat(n.ready(3)).as(n.name + " still serves").isTrue();
    }
  }

  @Test
  @Order(4)
  void a_client_whose_node_is_sigkilled_recovers_on_another_with_nothing_missed_or_doubled() throws Exception {
    passes("recovery.test.mjs");
  }
}
