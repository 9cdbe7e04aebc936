package io.switchboard.core.log;

import io.switchboard.core.testing.Await;
import io.switchboard.core.testing.PgFixture;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationsTest {

  private PgFixture fx;
  private Pool pool;

  @BeforeEach
  void setUp() {
    fx = PgFixture.empty(Map.of());
    pool = fx.pool();
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void reading_the_log_before_the_migrations_ran_is_recognised_as_not_applied_yet() {
    Throwable err = failureOf("SELECT last_seq FROM sb_log_state WHERE id = 1");

    assertThat(Migrations.notAppliedYet(err)).isTrue();
  }

  @Test
  void other_failures_and_a_migrated_schema_are_not_mistaken_for_it() {
    assertThat(Migrations.notAppliedYet(failureOf("SELEC 1"))).isFalse();
    assertThat(Migrations.notAppliedYet(new IllegalStateException("connection refused"))).isFalse();

    Migrations.migrate(fx.config().postgres());
    Await.result(pool.query("SELECT last_seq FROM sb_log_state WHERE id = 1").execute());
  }

  /** The query's own failure, as the feed's callback sees it (Await wraps it once). */
  private Throwable failureOf(String sql) {
    try {
      Await.result(pool.query(sql).execute());
    } catch (IllegalStateException wrapped) {
      return wrapped.getCause();
    }
    throw new AssertionError("expected '" + sql + "' to fail");
  }
}
