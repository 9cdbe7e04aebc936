package io.switchboard.core.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.http.RouteContributor;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;

/**
 * One role a node can run (API, gateway, ingest, bridge, relay, console), in the one shape the node knows: what it
 * mounts on the HTTP port, what it deploys, what it adds to readiness and metrics, and how it stops. Adding a role,
 * or something every role has, is one place: here and {@code Node}'s list of roles.
 */
public interface Role {

  /** Its routes, mounted on every HTTP server instance (one per event loop), in this order. */
  default List<RouteContributor> routes() {
    return List.of();
  }

  /** Its verticles, deployed before the node's HTTP port listens. */
  default List<RoleVerticle> verticles() {
    return List.of();
  }

  /** Adds its checks (which gate readiness) and its state to {@code /health/ready}. */
  default void health(HealthReport report) {}

  /**
   * Registers its gauges when the node exports metrics. Its counters and timers register themselves on Micrometer's
   * global registry where they count, and cost nothing when no registry is there.
   */
  default void metrics(MeterRegistry registry) {}

  /**
   * SIGTERM, after the node stopped being ready: send its clients elsewhere and put what it holds in memory where
   * it belongs, within {@code grace}. The node closes once every role's drain ended.
   */
  default Future<Void> drain(Duration grace) {
    return Future.succeededFuture();
  }
}
