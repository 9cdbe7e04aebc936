package io.switchboard.core.log;

import io.switchboard.core.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the schema migrations with Flyway (JDBC, so on a worker thread). Flyway serialises concurrent migrators with
 * a PostgreSQL advisory lock, which makes it safe for several nodes to start at once. While PostgreSQL is
 * unreachable the node keeps retrying instead of exiting.
 */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  public static Future<Void> runWithRetry(Vertx vertx, SwitchboardConfig.Postgres pg) {
    Promise<Void> done = Promise.promise();
    attempt(vertx, pg, done, 1);
    return done.future();
  }

  public static void migrate(SwitchboardConfig.Postgres pg) {
    Flyway.configure()
        .dataSource(pg.jdbcUrl(), pg.user(), pg.password())
        .locations("classpath:db/migration")
        .table("sb_schema_history")
        .connectRetries(0)
        .load()
        .migrate();
  }

  /**
   * Whether a query failed only because the schema is not there yet (undefined table): on a fresh database, what
   * starts beside the migrations sees this until they are applied, and should wait, not alarm anyone.
   */
  public static boolean notAppliedYet(Throwable err) {
    return err instanceof PgException pg && "42P01".equals(pg.getSqlState());
  }

  private static void attempt(Vertx vertx, SwitchboardConfig.Postgres pg, Promise<Void> done, int n) {
    vertx.<Void>executeBlocking(() -> {
      migrate(pg);
      return null;
    }).onSuccess(v -> {
      LOG.info("Schema migrations applied");
      done.complete();
    }).onFailure(err -> {
      LOG.warn("Migrations failed (attempt {}): {}; retrying in {}", n, rootMessage(err), pg.reconnectInterval());
      vertx.setTimer(pg.reconnectInterval().toMillis(), t -> attempt(vertx, pg, done, n + 1));
    });
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
