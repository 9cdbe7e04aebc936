package io.switchboard.node;

import io.switchboard.api.ApiRole;
import io.switchboard.core.access.ChannelAccess;
import io.switchboard.api.http.IdempotencyKeyExpiry;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.config.SwitchboardConfig.Role;
import io.switchboard.core.http.RouteContributor;
import io.switchboard.core.log.Migrations;
import io.switchboard.core.log.OutboxRelay;
import io.switchboard.core.log.PgClients;
import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.stats.StatsApi;
import io.switchboard.gateway.tickets.TicketApi;
import io.switchboard.console.ConsoleRoutes;
import io.switchboard.console.DevSignIn;
import io.switchboard.ingest.IngestRole;
import io.switchboard.bridge.BridgeRole;
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
  private Gateway gateway;
  private IngestRole ingest;
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
    // One per node: the stream endpoints and publishing share its ownership cache.
    ChannelAccess access = new ChannelAccess(pool);
    gateway = config.runs(Role.GATEWAY) ? new Gateway(vertx, config, pool, verifier, access) : null;
    ingest = config.runs(Role.INGEST) ? new IngestRole(vertx, config, pool, verifier) : null;
    health = new Health(vertx, config, clusterManager, gateway, pool);
    if (ingest != null) {
      health.ingest(ingest::status);
    }
    BridgeRole bridge = config.runs(Role.BRIDGE) ? new BridgeRole(config, pool) : null;
    if (bridge != null) {
      health.bridge(bridge::status);
    }

    // The router tries routes in this order on every request, so the per-event ones come first: publishing
    // (ApiRole puts it first) and GPS fixes. Paths do not overlap, so the order changes nothing else.
    List<RouteContributor> routes = new ArrayList<>();
    routes.add(health);
    if (config.runs(Role.API)) {
      routes.addAll(ApiRole.routes(vertx, pool, verifier, access, config.http(), config.relay(), health::isMigrated));
      IdempotencyKeyExpiry.start(vertx, pool, config.relay().retention(), config.relay().retentionInterval());
    }
    if (ingest != null) {
      routes.addAll(ingest.routes());
    }
    if (gateway != null) {
      routes.add(gateway.routes());
    }
    if (gateway != null || config.runs(Role.API)) {
      routes.add(new StatsApi(vertx, verifier));
      routes.add(new TicketApi(vertx, verifier, config.sse().ticketTtl(), config.sse().rates().ticketRate(),
          config.sse().rates().ticketBurst()));
    }
    if (config.console().enabled()) {
      routes.add(new ConsoleRoutes(config.console(), config.ingest().staleAfter(), DevSignIn.ifEnabled(vertx, config)));
    }

    Migrations.runWithRetry(vertx, config.postgres())
        .compose(v -> {
          health.migrated();
          if (!config.runs(Role.RELAY)) {
            return Future.succeededFuture();
          }
          OutboxRelay relay = new OutboxRelay(config);
          health.relay(relay::isLeader);
          return vertx.deployVerticle(relay).mapEmpty();
        })
        .onFailure(err -> LOG.error("Cannot start the relay", err));

    metrics.watch(gateway, health::relayLeader);
    Future<?> feed = gateway == null ? Future.succeededFuture() : vertx.deployVerticle(gateway.feedVerticle());
    Future<?> ingestWorker = ingest == null ? Future.succeededFuture() : vertx.deployVerticle(ingest.worker());
    Future<?> bridgeWorker = bridge == null ? Future.succeededFuture() : vertx.deployVerticle(bridge.verticle());
    return Future.all(feed, ingestWorker, bridgeWorker)
        .compose(v -> vertx.deployVerticle(() -> new HttpFrontVerticle(config.http(), routes),
            new DeploymentOptions().setInstances(config.http().eventLoops())))
        .compose(v -> ingest == null || ingest.osmAnd() == null ? Future.succeededFuture()
            : vertx.deployVerticle(ingest.osmAnd(), new DeploymentOptions().setInstances(config.http().eventLoops()))
                .onSuccess(id -> LOG.info("OsmAnd listening on {}:{}", config.http().host(),
                    config.ingest().osmandPort())))
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

  /** SIGTERM: stop being ready, send SSE clients elsewhere, then leave the cluster and close everything. */
  Future<Void> shutdown() {
    if (vertx == null) {
      return Future.succeededFuture();
    }
    LOG.info("Node {} shutting down", config.nodeId());
    if (health != null) {
      health.draining();
    }
    Future<Void> drained = gateway == null ? Future.succeededFuture() : gateway.drain();
    // Accepted positions still in memory go to PostgreSQL before the process ends.
    Future<Void> flushed = ingest == null ? Future.succeededFuture() : ingest.drain(config.shutdownGrace());
    return Future.join(drained, flushed).recover(err -> Future.succeededFuture()).compose(v -> vertx.close());
  }
}
