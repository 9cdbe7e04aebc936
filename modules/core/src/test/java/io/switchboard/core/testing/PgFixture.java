package io.switchboard.core.testing;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.log.Migrations;
import io.switchboard.core.log.PgClients;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * What an in-process test of the log stands on: a database of its own, a configuration pointing at it, a Vert.x
 * instance and the node's pool on that database. Closing it closes Vert.x first, then drops the database.
 */
public final class PgFixture implements AutoCloseable {

  private final TestDatabase db;
  private final SwitchboardConfig config;
  private final Vertx vertx;
  private final Pool pool;

  private PgFixture(TestDatabase db, SwitchboardConfig config) {
    this.db = db;
    this.config = config;
    this.vertx = Vertx.vertx();
    this.pool = PgClients.pool(vertx, config.postgres());
  }

  /** On a database with the schema applied; {@code overrides} are {@code SB_*} settings. */
  public static PgFixture migrated(Map<String, String> overrides) {
    return create(overrides, true);
  }

  /** On an empty database: for what happens before the migrations, or what needs no schema. */
  public static PgFixture empty(Map<String, String> overrides) {
    return create(overrides, false);
  }

  private static PgFixture create(Map<String, String> overrides, boolean migrate) {
    TestDatabase db = TestDatabase.create();
    try {
      SwitchboardConfig config = TestConfigs.of(db, overrides);
      if (migrate) {
        Migrations.migrate(config.postgres());
      }
      return new PgFixture(db, config);
    } catch (RuntimeException e) {
      db.close(); // a failed set-up must not leave its database behind
      throw e;
    }
  }

  public TestDatabase db() {
    return db;
  }

  public SwitchboardConfig config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Pool pool() {
    return pool;
  }

  /** A plain JDBC connection, for checking rows behind the code under test. */
  public Connection connect() throws SQLException {
    return db.connect();
  }

  @Override
  public void close() {
    try {
      Await.result(vertx.close());
    } finally {
      db.close();
    }
  }
}
