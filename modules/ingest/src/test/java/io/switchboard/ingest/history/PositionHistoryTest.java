package io.switchboard.ingest.history;

import io.switchboard.core.position.Fix;
import io.switchboard.core.testing.Await;
import io.switchboard.core.testing.PgFixture;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The position history in a real PostgreSQL: batched writes, resent points, daily partitions and retention. */
class PositionHistoryTest {

  private PgFixture fx;
  private Pool pool;

  @BeforeEach
  void setUp() {
    fx = PgFixture.migrated(Map.of());
    pool = fx.pool();
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private static Fix fix(String driver, long at, double lat) {
    return new Fix(driver, "t", at, at, lat, 13.4, 90, Double.NaN, 5, Double.NaN, Double.NaN, true);
  }

  @Test
  void a_batch_is_one_statement_and_a_resent_point_is_one_row() throws Exception {
    HistoryWriter writer = new HistoryWriter(fx.vertx(), pool, new HistoryBuffer(100), 100, 1000);
    long now = System.currentTimeMillis();
    List<Fix> batch = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      batch.add(fix("d1", now - i * 1000L, 52.5 + i * 0.001));
    }
    batch.add(fix("d1", now, 52.5)); // the same point twice in one batch
    Await.result(writer.write(batch));
    Await.result(writer.write(batch.subList(0, 10))); // and again later (a retry)
    assertThat(count("SELECT count(*) FROM positions")).isEqualTo(50);
    assertThat(count("SELECT count(*) FROM positions WHERE heading = 90 AND speed_kmh IS NULL AND accuracy_m = 5"))
        .isEqualTo(50);
  }

  @Test
  void rows_the_database_refuses_are_dropped_and_counted_and_every_other_point_is_written() throws Exception {
    HistoryBuffer buffer = new HistoryBuffer(1_000);
    HistoryWriter writer = new HistoryWriter(fx.vertx(), pool, buffer, 100, 20);
    long now = System.currentTimeMillis();
    List<Fix> points = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      points.add(fix("d" + (i % 5), now - i * 1000L, 52.5 + i * 0.001));
    }
    // A REAL cannot hold 1e-300 (underflow): a whole batch used to fail on it, and was retried forever.
    points.set(17, new Fix("d2", "t", now - 17_000, now, 52.5, 13.4, Double.NaN, 1e-300, 5, Double.NaN, Double.NaN,
        true));
    points.set(180, new Fix("d0", "t", now - 180_000, now, 52.5, 13.4, Double.NaN, Double.NaN, 5, -1e-300, Double.NaN,
        true));
    assertThat(buffer.tryAdd(points)).isTrue();
    fx.vertx().runOnContext(v -> writer.start());
    io.switchboard.core.testing.Await.until("the buffer drained", Duration.ofSeconds(20), () -> buffer.held() == 0);
    assertThat(count("SELECT count(*) FROM positions")).isEqualTo(248);
    assertThat(writer.dropped()).isEqualTo(2);
    assertThat(writer.written()).isEqualTo(248);
    assertThat(writer.stalled()).isFalse();
  }

  @Test
  void partitions_are_prepared_ahead_and_dropped_past_retention() throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    assertThat(partitionExists(today)).isTrue();
    assertThat(partitionExists(today.plusDays(2))).isTrue();
    // A day well past a 7-day retention, as if the node had run then, with a row in it.
    LocalDate old = today.minusDays(10);
    exec("CREATE TABLE positions_p" + old.toString().replace("-", "") + " PARTITION OF positions FOR VALUES FROM ('"
        + old + "') TO ('" + old.plusDays(1) + "')");
    exec("INSERT INTO positions (driver_id, tenant_id, fixed_at, received_at, lat, lon) VALUES"
        + " ('d', 't', '" + old + " 12:00+00', now(), 1, 1)");
    // Far older than any partition: kept by the default partition, then deleted by retention too.
    exec("INSERT INTO positions (driver_id, tenant_id, fixed_at, received_at, lat, lon) VALUES"
        + " ('d', 't', '2001-01-01 00:00+00', now(), 1, 1)");
    int dropped = Await.result(new PositionPartitions(pool, Duration.ofDays(7)).maintain());
    assertThat(dropped).isEqualTo(1);
    assertThat(partitionExists(old)).isFalse();
    assertThat(count("SELECT count(*) FROM positions")).isZero();
    assertThat(partitionExists(today.plusDays(1))).isTrue();
  }

  private boolean partitionExists(LocalDate day) throws Exception {
    return count("SELECT count(*) FROM pg_class WHERE relname = 'positions_p" + day.toString().replace("-", "") + "'")
        == 1;
  }

  private long count(String sql) throws Exception {
    try (Connection c = fx.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void exec(String sql) throws Exception {
    try (Connection c = fx.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
