package io.switchboard.core.log;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.node.HealthReport;
import io.switchboard.core.node.NodeServices;
import io.switchboard.core.node.Role;
import io.switchboard.core.node.RoleVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The relay role: every relay node stands for the numbering lock ({@link OutboxRelay}), once the schema is there;
 * the one holding it numbers the cluster's events.
 */
public final class RelayRole implements Role {

  private static final Logger LOG = LoggerFactory.getLogger(RelayRole.class);

  private final NodeServices services;
  private final OutboxRelay relay;

  public RelayRole(NodeServices services) {
    this.services = services;
    this.relay = new OutboxRelay(services.config());
  }

  @Override
  public List<RoleVerticle> verticles() {
    // Deployed at once, standing for the lock only after the migrations: the node starts without PostgreSQL.
    return List.of(RoleVerticle.once("relay", new VerticleBase() {
      @Override
      public Future<?> start() {
        services.schema().ready()
            .compose(v -> vertx.deployVerticle(relay))
            .onFailure(err -> LOG.error("Cannot start the relay", err));
        return Future.succeededFuture();
      }
    }));
  }

  @Override
  public void health(HealthReport report) {
    report.put("relayLeader", relay.isLeader());
  }

  @Override
  public void metrics(MeterRegistry registry) {
    Gauge.builder("switchboard.relay.leader", relay, r -> r.isLeader() ? 1 : 0)
        .description("1 while this node holds the relay's numbering lock").register(registry);
    Gauge.builder("switchboard.outbox.depth", relay, OutboxRelay::outboxDepth)
        .description("Committed events waiting to be numbered (counted by the relay leader every few seconds, "
            + "up to 100,000; 0 on other nodes)").register(registry);
  }

  public boolean isLeader() {
    return relay.isLeader();
  }
}
