package io.switchboard.core.log;

import io.switchboard.core.config.SwitchboardConfig;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Builds PostgreSQL connection options and pools from the typed configuration. */
public final class PgClients {

  private PgClients() {}

  public static PgConnectOptions connectOptions(SwitchboardConfig.Postgres pg) {
    return new PgConnectOptions()
        .setHost(pg.host())
        .setPort(pg.port())
        .setDatabase(pg.database())
        .setUser(pg.user())
        .setPassword(pg.password())
        .setCachePreparedStatements(true);
  }

  public static Pool pool(Vertx vertx, SwitchboardConfig.Postgres pg) {
    return PgBuilder.pool()
        // No wait timeout: in vertx-sql-client 5.0 the timer that fails a waiter can fire just as a connection is
        // handed to it ("Promise already completed" in the log), and that request then never gets an answer. A
        // bounded wait queue keeps the backlog finite instead; a database that is down fails waiters at once.
        .with(new PoolOptions().setMaxSize(pg.poolSize()).setShared(true).setName("switchboard-pg")
            .setConnectionTimeout(0).setMaxWaitQueueSize(10_000))
        .connectingTo(connectOptions(pg))
        .using(vertx)
        .build();
  }
}
