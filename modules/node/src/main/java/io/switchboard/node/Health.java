package io.switchboard.node;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.http.RouteContributor;
import io.switchboard.gateway.Gateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/**
 * {@code /health/live}: the process serves HTTP. {@code /health/ready}: the node joined the cluster, its event-bus
 * consumers are registered, the schema is migrated and PostgreSQL answered within the last few seconds.
 */
final class Health implements RouteContributor {

  private final Vertx vertx;
  private final SwitchboardConfig config;
  private final ClusterManager clusterManager;
  private final Gateway gateway;
  private final Pool pool;
  private volatile boolean migrated;
  private volatile boolean postgresUp;
  private volatile boolean draining;
  private volatile java.util.function.BooleanSupplier relayLeader = () -> false;
  private volatile java.util.function.Supplier<JsonObject> ingest;
  private volatile java.util.function.Supplier<JsonObject> bridge;

  Health(Vertx vertx, SwitchboardConfig config, ClusterManager clusterManager, Gateway gateway, Pool pool) {
    this.vertx = vertx;
    this.config = config;
    this.clusterManager = clusterManager;
    this.gateway = gateway;
    this.pool = pool;
    vertx.setPeriodic(0, 2000, t -> probePostgres());
  }

  void migrated() {
    migrated = true;
  }

  boolean isMigrated() {
    return migrated;
  }

  /** Whether this node's relay holds the numbering lock now. */
  boolean relayLeader() {
    return relayLeader.getAsBoolean();
  }

  void relay(java.util.function.BooleanSupplier leader) {
    relayLeader = leader;
  }

  /** The ingest role's state, shown (but not gating readiness: a full buffer answers 503 on its own). */
  void ingest(java.util.function.Supplier<JsonObject> status) {
    ingest = status;
  }

  /** The Redis bridge's state: "DEGRADED" while Redis is away (the node still serves). */
  void bridge(java.util.function.Supplier<JsonObject> status) {
    bridge = status;
  }

  void draining() {
    draining = true;
  }

  @Override
  public void mount(io.vertx.ext.web.Router router) {
    router.get("/health/live").handler(ctx -> send(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
  }

  JsonObject checks() {
    boolean clustered = clusterManager == null || (vertx.isClustered() && !clusterManager.getNodes().isEmpty());
    boolean consumers = gateway == null || gateway.ready();
    JsonObject checks = new JsonObject()
        .put("cluster", clustered)
        .put("consumers", consumers)
        .put("postgres", postgresUp && migrated)
        .put("draining", draining);
    boolean up = clustered && consumers && postgresUp && migrated && !draining;
    JsonObject body = new JsonObject().put("status", up ? "UP" : "DOWN").put("node", config.nodeId())
        .put("checks", checks);
    if (clusterManager != null) {
      body.put("clusterSize", clusterManager.getNodes().size());
    }
    body.put("relayLeader", relayLeader.getAsBoolean());
    if (gateway != null) {
      body.put("head", gateway.head()).put("streams", gateway.connections())
          .put("socketio", gateway.socketIoStats());
    }
    if (ingest != null) {
      JsonObject status = ingest.get();
      body.put("ingest", status);
      if (up && "DEGRADED".equals(status.getString("redis"))) {
        body.put("status", "DEGRADED"); // still ready: streams and history work; latest positions do not
      }
    }
    if (bridge != null) {
      JsonObject status = bridge.get();
      body.put("bridge", status);
      if (up && "DEGRADED".equals(status.getString("status"))) {
        body.put("status", "DEGRADED");
      }
    }
    return body;
  }

  private void ready(RoutingContext ctx) {
    JsonObject body = checks();
    send(ctx, "DOWN".equals(body.getString("status")) ? 503 : 200, body);
  }

  private void probePostgres() {
    pool.query("SELECT 1").execute()
        .onSuccess(r -> postgresUp = true)
        .onFailure(err -> postgresUp = false);
  }

  private static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }
}
