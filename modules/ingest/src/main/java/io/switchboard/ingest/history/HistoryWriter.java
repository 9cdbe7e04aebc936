package io.switchboard.ingest.history;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import io.switchboard.core.position.Fix;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes the history buffer to PostgreSQL: one INSERT per batch over {@code unnest} of array parameters (the
 * pg client has no COPY), every flush interval or as soon as a full batch is waiting. A batch that fails because
 * the database is away is kept and retried first, with backoff, so an outage delays points but loses none. A batch
 * the database refuses for its data (SQLSTATE classes 22 and 23) is split in halves until the rows it refuses are
 * alone; those are dropped and counted, the others written: no point can wedge the writer. A resent point (the
 * same driver and fix time) is one row.
 */
public final class HistoryWriter {

  private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);

  static final String INSERT = "INSERT INTO positions (driver_id, tenant_id, fixed_at, received_at, lat, lon,"
      + " heading, speed_kmh, accuracy_m, altitude_m, battery)"
      + " SELECT d, t, to_timestamp(f / 1000.0), to_timestamp(r / 1000.0), la, lo, h, s, a, al, b"
      + " FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[], $5::float8[], $6::float8[], $7::float8[],"
      + " $8::float8[], $9::float8[], $10::float8[], $11::float8[]) AS u(d, t, f, r, la, lo, h, s, a, al, b)"
      + " ON CONFLICT DO NOTHING";

  private static final long MAX_BACKOFF_MS = 5_000;

  private final Vertx vertx;
  private static final Timer WRITE_LAG = Timer.builder("switchboard.history.write.lag")
      .description("From a position's arrival to its commit in the history table (the oldest of each batch)")
      .publishPercentileHistogram().register(Metrics.globalRegistry);

  private final Pool pool;
  private final HistoryBuffer buffer;
  private final int batchSize;
  private final long flushIntervalMs;
  private List<Fix> retry;
  private boolean writing;
  private long backoffMs;
  private long retryAt;
  private long written;
  private long dropped;
  private long timer = -1;

  public HistoryWriter(Vertx vertx, Pool pool, HistoryBuffer buffer, int batchSize, long flushIntervalMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.buffer = buffer;
    this.batchSize = batchSize;
    this.flushIntervalMs = flushIntervalMs;
  }

  /** Starts flushing on the calling context. */
  public void start() {
    timer = vertx.setPeriodic(flushIntervalMs, t -> flush());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** Points committed since start. */
  public long written() {
    return written;
  }

  /** Points the database refused for their data, dropped since start. */
  public long dropped() {
    return dropped;
  }

  /** Whether the last write failed and points are waiting for the database. */
  public boolean stalled() {
    return retry != null;
  }

  private void flush() {
    if (writing || System.currentTimeMillis() < retryAt) {
      return;
    }
    List<Fix> batch = retry != null ? retry : buffer.take(batchSize);
    if (batch.isEmpty()) {
      return;
    }
    writing = true;
    writeIsolating(batch).onComplete(ar -> {
      writing = false;
      if (ar.succeeded()) {
        if (retry != null) {
          LOG.info("Positions are written again; {} held", buffer.held());
        }
        retry = null;
        backoffMs = 0;
        written += ar.result();
        buffer.committed(batch.size());
        // The oldest point of the batch waited longest: how far behind the history is.
        long now = System.currentTimeMillis();
        batch.stream().mapToLong(Fix::receivedAtMillis).min()
            .ifPresent(oldest -> WRITE_LAG.record(Math.max(0, now - oldest), TimeUnit.MILLISECONDS));
        if (buffer.hasQueued()) {
          flush(); // more than a batch waiting: keep going without waiting for the timer
        }
      } else {
        retry = batch;
        backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(250, backoffMs * 2));
        retryAt = System.currentTimeMillis() + backoffMs;
        LOG.warn("Cannot write {} positions ({}); retrying in {} ms, {} held", batch.size(),
            ar.cause().getMessage(), backoffMs, buffer.held());
      }
    });
  }

  /**
   * Writes {@code batch}; the rows the database refuses for their data are dropped (halving until each is alone).
   * Completes with the number of rows written, or fails when the database is away (then nothing is dropped).
   */
  Future<Integer> writeIsolating(List<Fix> batch) {
    return write(batch).map(batch.size()).recover(err -> {
      if (!refusedForData(err)) {
        return Future.failedFuture(err);
      }
      if (batch.size() == 1) {
        dropped++;
        Fix f = batch.get(0);
        LOG.warn("Dropping a position the database refuses (driver {}, fixed at {}): {}; {} dropped so far",
            f.driverId(), f.fixedAtMillis(), err.getMessage(), dropped);
        return Future.succeededFuture(0);
      }
      int half = batch.size() / 2;
      List<Fix> first = batch.subList(0, half);
      List<Fix> second = batch.subList(half, batch.size());
      return writeIsolating(first).compose(a -> writeIsolating(second).map(b -> a + b));
    });
  }

  /** Data exceptions and integrity violations: the rows are at fault, and retrying them would fail forever. */
  private static boolean refusedForData(Throwable err) {
    if (err instanceof PgException pg && pg.getSqlState() != null) {
      String state = pg.getSqlState();
      return state.startsWith("22") || state.startsWith("23");
    }
    return false;
  }

  Future<Void> write(List<Fix> batch) {
    int n = batch.size();
    String[] drivers = new String[n];
    String[] tenants = new String[n];
    Long[] fixedAt = new Long[n];
    Long[] receivedAt = new Long[n];
    Double[] lat = new Double[n];
    Double[] lon = new Double[n];
    Double[] heading = new Double[n];
    Double[] speed = new Double[n];
    Double[] accuracy = new Double[n];
    Double[] altitude = new Double[n];
    Double[] battery = new Double[n];
    for (int i = 0; i < n; i++) {
      Fix f = batch.get(i);
      drivers[i] = f.driverId();
      tenants[i] = f.tenant();
      fixedAt[i] = f.fixedAtMillis();
      receivedAt[i] = f.receivedAtMillis();
      lat[i] = f.lat();
      lon[i] = f.lon();
      heading[i] = orNull(f.heading());
      speed[i] = orNull(f.speedKmh());
      accuracy[i] = orNull(f.accuracyM());
      altitude[i] = orNull(f.altitudeM());
      battery[i] = orNull(f.battery());
    }
    Tuple args = Tuple.tuple().addArrayOfString(drivers).addArrayOfString(tenants).addArrayOfLong(fixedAt)
        .addArrayOfLong(receivedAt).addArrayOfDouble(lat).addArrayOfDouble(lon).addArrayOfDouble(heading)
        .addArrayOfDouble(speed).addArrayOfDouble(accuracy).addArrayOfDouble(altitude).addArrayOfDouble(battery);
    return pool.preparedQuery(INSERT).execute(args).mapEmpty();
  }

  private static Double orNull(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
