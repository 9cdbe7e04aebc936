package io.switchboard.api;

import io.switchboard.api.catalog.CatalogApi;
import io.switchboard.api.http.ChangeRunner;
import io.switchboard.api.orders.OrderBook;
import io.switchboard.api.orders.OrdersApi;
import io.switchboard.api.publish.PublishApi;
import io.switchboard.api.runs.RunBook;
import io.switchboard.api.runs.RunsApi;
import io.switchboard.api.stock.StockApi;
import io.switchboard.api.stock.StockLedger;
import io.switchboard.api.tenant.TenantOrdersApi;
import io.switchboard.api.http.IdempotencyKeyExpiry;
import io.switchboard.core.node.NodeServices;
import io.switchboard.core.node.Role;
import io.switchboard.core.node.RoleVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.switchboard.core.config.SwitchboardConfig;
import io.vertx.core.Vertx;
import io.switchboard.core.http.RouteContributor;
import io.switchboard.core.log.DirectPublisher;
import io.switchboard.core.log.EventAppender;
import io.switchboard.core.log.OutboxWriter;
import io.vertx.sqlclient.Pool;

import java.util.List;
import java.util.function.BooleanSupplier;

/** The API role of a node: every HTTP resource that changes or reads the domain, and raw event publishing. */
public final class ApiRole implements Role {

  private final NodeServices services;

  public ApiRole(NodeServices services) {
    this.services = services;
  }

  @Override
  public List<RouteContributor> routes() {
    Vertx vertx = services.vertx();
    Pool pool = services.pool();
    SwitchboardConfig.Http http = services.config().http();
    SwitchboardConfig.Relay relay = services.config().relay();
    BooleanSupplier databaseReady = services.schema()::isReady;
    int maxBodyBytes = http.maxBodyBytes();
    OutboxWriter outbox = services.outbox();
    ChangeRunner runner = new ChangeRunner(pool, outbox, services.verifier(), databaseReady);
    // A raw publish is the whole change: the relay leader numbers it with the others of its moment, or (direct
    // publishing off) one statement writes its outbox row, its own transaction.
    EventAppender appender = relay.directPublish()
        ? new DirectPublisher(vertx, pool, outbox, relay.directTimeout(), relay.batchSize())
        : event -> outbox.appendAlone(pool, event);
    PublishApi publish = new PublishApi(appender, services.verifier(), maxBodyBytes, databaseReady, http.publishRate(),
        http.publishBurst(), services.access());
    vertx.setPeriodic(60_000, t -> publish.forgetIdlePublishers());
    StockLedger ledger = new StockLedger();
    OrderBook orders = new OrderBook(ledger);
    return List.of(
        publish,
        new CatalogApi(runner, maxBodyBytes),
        new StockApi(runner, ledger, maxBodyBytes),
        new OrdersApi(runner, orders, maxBodyBytes),
        new TenantOrdersApi(runner, orders, pool, maxBodyBytes),
        new RunsApi(runner, new RunBook(orders), maxBodyBytes));
  }

  @Override
  public List<RoleVerticle> verticles() {
    return List.of(RoleVerticle.once("idempotency-key-expiry", new VerticleBase() {
      @Override
      public Future<?> start() {
        SwitchboardConfig.Relay relay = services.config().relay();
        IdempotencyKeyExpiry.start(vertx, services.pool(), relay.retention(), relay.retentionInterval());
        return Future.succeededFuture();
      }
    }));
  }
}
