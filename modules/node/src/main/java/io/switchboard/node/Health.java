package io.switchboard.node;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.http.RouteContributor;
import io.switchboard.core.node.HealthReport;
import io.switchboard.core.node.Role;
import io.switchboard.core.node.Schema;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

import java.util.List;

/**
 * {@code /health/live}: the process serves HTTP. {@code /health/ready}: the node joined the cluster, the schema is
 * migrated, PostgreSQL answered within the last few seconds, it is not draining, and every role's own checks pass
 * (the gateway's: its event-bus consumers are registered). Roles add their state; some make the node "DEGRADED":
 * still ready, with an optional part away.
 */
final class Health implements RouteContributor {

  private final Vertx vertx;
  private final SwitchboardConfig config;
  private final ClusterManager clusterManager;
  private final Schema schema;
  private final List<Role> roles;
  private volatile boolean postgresUp;
  private volatile boolean draining;

  Health(Vertx vertx, SwitchboardConfig config, ClusterManager clusterManager, Pool pool, Schema schema,
         List<Role> roles) {
    this.vertx = vertx;
    this.config = config;
    this.clusterManager = clusterManager;
    this.schema = schema;
    this.roles = List.copyOf(roles);
    vertx.setPeriodic(0, 2000, t -> pool.query("SELECT 1").execute()
        .onComplete(ar -> postgresUp = ar.succeeded()));
  }

  void draining() {
    draining = true;
  }

  @Override
  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> send(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
  }

  JsonObject checks() {
    HealthReport report = new HealthReport()
        .check("cluster", clusterManager == null || (vertx.isClustered() && !clusterManager.getNodes().isEmpty()))
        .check("postgres", postgresUp && schema.isReady())
        .check("serving", !draining)
        .put("node", config.nodeId())
        .put("relayLeader", false);
    if (clusterManager != null) {
      report.put("clusterSize", clusterManager.getNodes().size());
    }
    roles.forEach(role -> role.health(report));
    return report.toJson();
  }

  private void ready(RoutingContext ctx) {
    JsonObject body = checks();
    send(ctx, "DOWN".equals(body.getString("status")) ? 503 : 200, body);
  }

  private static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }
}
