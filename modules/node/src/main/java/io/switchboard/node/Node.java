package io.switchboard.node;

import io.switchboard.api.ApiRole;
import io.switchboard.bridge.BridgeRole;
import io.switchboard.console.ConsoleRole;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.http.RequestIds;
import io.switchboard.core.http.RouteContributor;
import io.switchboard.core.log.Migrations;
import io.switchboard.core.log.PgClients;
import io.switchboard.core.log.RelayRole;
import io.switchboard.core.node.NodeServices;
import io.switchboard.core.node.Role;
import io.switchboard.core.node.RoleVerticle;
import io.switchboard.core.node.Schema;
import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.RealtimeApiRole;
import io.switchboard.ingest.IngestRole;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Switchboard node: a clustered Vert.x instance running the roles its configuration names. Every node is
 * otherwise identical. Nothing here waits for PostgreSQL: migrations, the relay election and the feed retry on
 * their own, and readiness says when the node is whole.
 */
final class Node {

  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final SwitchboardConfig config;
  private Vertx vertx;
  private Health health;
  private List<Role> roles = List.of();
  private NodeMetrics metrics;

  Node(SwitchboardConfig config) {
    this.config = config;
  }

  Future<Void> start() throws Exception {
    // Fail fast on a missing key, before joining anything.
    TokenVerifier.requireKey(config.auth());
    VertxOptions options = new VertxOptions()
        .setPreferNativeTransport(config.http().nativeTransport())
        .setEventLoopPoolSize(config.http().eventLoops())
        .setEventBusOptions(new EventBusOptions()
            .setHost(config.cluster().eventBusHost())
            .setPort(config.cluster().eventBusPort()));
    metrics = new NodeMetrics(config.metrics());
    VertxBuilder builder = metrics.instrument(Vertx.builder(), options).with(options);
    HazelcastClusterManager clusterManager = null;
    Future<Vertx> vertxFuture;
    if (config.cluster().enabled()) {
      clusterManager = new HazelcastClusterManager(HazelcastSetup.config(config.cluster()));
      vertxFuture = builder.withClusterManager(clusterManager).buildClustered();
    } else {
      vertxFuture = Future.succeededFuture(builder.build());
    }
    HazelcastClusterManager cm = clusterManager;
    return vertxFuture.compose(v -> {
      vertx = v;
      return deploy(cm);
    });
  }

  private Future<Void> deploy(HazelcastClusterManager clusterManager) {
    // The token keys (PEM files, a JWKS document) are read before anything listens.
    return TokenVerifier.create(vertx, config.auth()).compose(verifier -> deploy(clusterManager, verifier));
  }

  private Future<Void> deploy(HazelcastClusterManager clusterManager, TokenVerifier verifier) {
    Pool pool = PgClients.pool(vertx, config.postgres());
    Schema schema = new Schema();
    NodeServices services = new NodeServices(vertx, config, pool, verifier, schema);
    roles = roles(services);
    health = new Health(vertx, config, clusterManager, pool, schema, roles);
    Migrations.runWithRetry(vertx, config.postgres()).onSuccess(v -> schema.applied());
    metrics.watch(roles);

    // The router tries routes in this order on every request; the roles are listed so that the per-event ones come
    // first (publishing, then GPS fixes). Paths do not overlap, so the order changes nothing else.
    List<RouteContributor> routes = new ArrayList<>();
    routes.add(health);
    roles.forEach(role -> routes.addAll(role.routes()));
    List<Future<String>> verticles = roles.stream().flatMap(role -> role.verticles().stream()).map(this::deploy).toList();
    RequestIds requestIds = new RequestIds(config.nodeId(), new AtomicLong());
    return Future.all(verticles)
        .compose(v -> vertx.deployVerticle(() -> new HttpFrontVerticle(config.http(), routes, requestIds),
            new DeploymentOptions().setInstances(config.http().eventLoops())))
        .compose(v -> metrics.serve(vertx)
            .onSuccess(x -> {
              if (config.metrics().enabled()) {
                LOG.info("Metrics on http://{}:{}/metrics", config.metrics().host(), config.metrics().port());
              }
            }))
        .onSuccess(id -> LOG.info("Node {} listening on {}:{} with roles {} ({} transport)", config.nodeId(),
            config.http().host(), config.http().port(), config.roles(), vertx.isNativeTransportEnabled() ? "epoll"
                : "NIO"))
        .mapEmpty();
  }

  /** The roles the configuration names, in the order their routes are tried. */
  private List<Role> roles(NodeServices services) {
    List<Role> roles = new ArrayList<>();
    if (config.runs(SwitchboardConfig.Role.API)) {
      roles.add(new ApiRole(services));
    }
    if (config.runs(SwitchboardConfig.Role.INGEST)) {
      roles.add(new IngestRole(services));
    }
    if (config.runs(SwitchboardConfig.Role.GATEWAY)) {
      roles.add(new Gateway(services));
    }
    if (config.runs(SwitchboardConfig.Role.GATEWAY) || config.runs(SwitchboardConfig.Role.API)) {
      roles.add(new RealtimeApiRole(services));
    }
    if (config.console().enabled()) {
      roles.add(new ConsoleRole(services));
    }
    if (config.runs(SwitchboardConfig.Role.BRIDGE)) {
      roles.add(new BridgeRole(services));
    }
    if (config.runs(SwitchboardConfig.Role.RELAY)) {
      roles.add(new RelayRole(services));
    }
    return List.copyOf(roles);
  }

  private Future<String> deploy(RoleVerticle verticle) {
    return vertx.deployVerticle(verticle.verticle(), new DeploymentOptions().setInstances(verticle.instances()))
        .onFailure(err -> LOG.error("Cannot deploy {}", verticle.name(), err));
  }

  /**
   * SIGTERM: stop being ready, then every role drains at once (streams sent elsewhere, accepted positions written),
   * then leave the cluster and close everything.
   */
  Future<Void> shutdown() {
    if (vertx == null) {
      return Future.succeededFuture();
    }
    LOG.info("Node {} shutting down", config.nodeId());
    if (health != null) {
      health.draining();
    }
    // Whatever a role's drain ends with, the node closes once they all ended.
    List<Future<Void>> drains = roles.stream().map(role -> role.drain(config.shutdownGrace())).toList();
    return Future.join(drains).transform(ended -> vertx.close());
  }
}
