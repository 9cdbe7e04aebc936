package io.switchboard.ingest.arrival;

import io.switchboard.core.log.OutboxWriter;
import io.switchboard.core.position.Fix;
import io.switchboard.core.testing.Await;
import io.switchboard.core.testing.PgFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Arrivals against a real run in PostgreSQL. */
class ArrivalWatcherTest {

  private static final double STOP_LAT = 52.52;
  private static final double STOP_LON = 13.405;

  private PgFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = PgFixture.migrated(Map.of());
    exec("INSERT INTO tenants (id, name) VALUES ('t', 'T')");
    exec("INSERT INTO customers (id, tenant_id) VALUES ('c', 't')");
    exec("INSERT INTO shops (id, tenant_id, name) VALUES ('s', 't', 'S')");
    exec("INSERT INTO drivers (id, tenant_id, name) VALUES ('d', 't', 'D')");
    exec("INSERT INTO orders (id, number, tenant_id, shop_id, customer_id, status, total, cost, updated_by)"
        + " VALUES ('o', 'N1', 't', 's', 'c', 'in_progress', 1, 1, 'x')");
    // Started a minute ago.
    exec("INSERT INTO runs (id, tenant_id, status, driver_id, updated_by, started_at) VALUES ('r', 't',"
        + " 'in_progress', 'd', 'x', now() - interval '1 minute')");
    exec("INSERT INTO run_stops (id, run_id, position, order_id, address, lat, lon) VALUES ('s1', 'r', 1, 'o', 'A', "
        + STOP_LAT + ", " + STOP_LON + ")");
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private static Fix at(long millis) {
    return new Fix("d", "t", millis, System.currentTimeMillis(), STOP_LAT, STOP_LON, Double.NaN, 20, 5, Double.NaN,
        Double.NaN, true);
  }

  @Test
  void a_fix_from_before_the_run_started_is_not_an_arrival_at_its_stop() throws Exception {
    ArrivalWatcher watcher = new ArrivalWatcher(fx.pool(), OutboxWriter.notifying(), 100, Duration.ofSeconds(30));
    Await.result(watcher.start(fx.vertx(), Duration.ofHours(1)));
    // A device that was offline replays its buffer: it stood at the stop an hour ago, before the run began.
    watcher.accepted(at(System.currentTimeMillis() - 3_600_000));
    Thread.sleep(500);
    assertThat(count("SELECT count(*) FROM run_stops WHERE arrived_at IS NOT NULL")).isZero();
    assertThat(count("SELECT count(*) FROM sb_outbox WHERE type = 'run.stop_arrived'")).isZero();

    watcher.accepted(at(System.currentTimeMillis()));
    Await.until("the arrival after the start counts", Duration.ofSeconds(5),
        () -> count("SELECT count(*) FROM run_stops WHERE arrived_at IS NOT NULL") == 1);
  }

  private long count(String sql) {
    try (Connection c = fx.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void exec(String sql) throws Exception {
    try (Connection c = fx.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
