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
        .with(new PoolOptions().setMaxSize(pg.poolSize()).setShared(true).setName("switchboard-pg")
            .setConnectionTimeout(5).setMaxWaitQueueSize(10_000))
        .connectingTo(connectOptions(pg))
        .using(vertx)
        .build();
  }
}
