package io.switchboard.ingest.arrival;

import io.switchboard.core.position.Fix;
import io.switchboard.core.position.Geo;
import io.switchboard.ingest.pipeline.Ingestor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.switchboard.core.log.OutboxWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivery intelligence from the positions this node takes: when the driver of a run in progress comes within
 * the arrival radius of its next stop, the stop is arrived ({@code run.stop_arrived}, {@code order.arrived} with
 * {@code actualArrival}); and every ETA interval the remaining stops get ETAs from the distance along them and
 * the driver's recent speed ({@code run.eta_updated}, {@code order.eta_updated} with {@code estimatedArrival}).
 */
public final class ArrivalWatcher implements Ingestor.FixListener {

  private static final Logger LOG = LoggerFactory.getLogger(ArrivalWatcher.class);
  /** Below this the driver is waiting, not driving: ETAs assume a typical urban speed instead. */
  private static final double MIN_SPEED_KMH = 8;
  private static final double DEFAULT_SPEED_KMH = 25;
  /** Time at each stop before the next leg: handing over a parcel. */
  private static final long SERVICE_MS = 60_000;
  private static final double SPEED_SMOOTHING = 0.3;

  private final ActiveRuns runs;
  private final ArrivalEvents events;
  private final double radiusM;
  private final long etaIntervalMs;
  private final ConcurrentHashMap<String, Double> speedKmh = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> lastEta = new ConcurrentHashMap<>();
  private final Set<String> arriving = ConcurrentHashMap.newKeySet();

  public ArrivalWatcher(Pool pool, OutboxWriter outbox, double radiusM, Duration etaInterval) {
    this.runs = new ActiveRuns(pool);
    this.events = new ArrivalEvents(pool, outbox);
    this.radiusM = radiusM;
    this.etaIntervalMs = etaInterval.toMillis();
  }

  /** Reloads the active runs every {@code every}, on the calling context; completes once they were first loaded. */
  public Future<Void> start(Vertx vertx, Duration every) {
    vertx.setPeriodic(every.toMillis(), t -> runs.reload()
        .onFailure(err -> LOG.debug("Cannot reload active runs: {}", err.getMessage())));
    return runs.reload().<Void>mapEmpty().recover(err -> Future.succeededFuture()); // the next period tries again
  }

  @Override
  public void accepted(Fix fix) {
    ActiveRuns.Run run = runs.of(fix.driverId());
    if (run == null) {
      return;
    }
    double speed = trackSpeed(fix);
    ActiveRuns.Stop next = run.next();
    if (next == null) {
      return;
    }
    // A fix from before the run started (a device replaying what it buffered offline) places the driver, for the
    // ETAs, but arrives nowhere on this run.
    if (fix.fixedAtMillis() >= run.startedAtMillis()
        && Geo.distanceM(fix.lat(), fix.lon(), next.lat(), next.lon()) <= radiusM) {
      if (arriving.add(next.id())) {
        events.arrived(run.id(), next.id(), fix.fixedAtMillis())
            .onComplete(ar -> {
              if (ar.succeeded() && ar.result()) {
                runs.reload(); // the next stop is now the target
              } else if (ar.failed()) {
                arriving.remove(next.id()); // try again on the next fix
              }
            });
      }
      return;
    }
    long now = System.currentTimeMillis();
    Long last = lastEta.get(run.id());
    if (last != null && now - last < etaIntervalMs) {
      return;
    }
    lastEta.put(run.id(), now);
    publishEtas(run, fix, speed, now);
  }

  private void publishEtas(ActiveRuns.Run run, Fix fix, double speedKmh, long now) {
    double metresPerMs = Math.max(MIN_SPEED_KMH, speedKmh) / 3.6 / 1000;
    List<String> stopIds = new ArrayList<>();
    List<String> orderIds = new ArrayList<>();
    List<Long> etas = new ArrayList<>();
    double lat = fix.lat();
    double lon = fix.lon();
    long at = now;
    for (ActiveRuns.Stop s : run.pending()) {
      if (s.arrived()) {
        at += SERVICE_MS; // the driver is there: hand-over time before leaving
        continue;
      }
      at += (long) (Geo.distanceM(lat, lon, s.lat(), s.lon()) / metresPerMs);
      stopIds.add(s.id());
      orderIds.add(s.orderId());
      etas.add(at);
      at += SERVICE_MS;
      lat = s.lat();
      lon = s.lon();
    }
    if (stopIds.isEmpty()) {
      return;
    }
    events.etas(run.id(), stopIds, orderIds, etas, Math.max(1, etaIntervalMs / 1000 - 1))
        .onFailure(err -> LOG.debug("Cannot publish ETAs of run {}: {}", run.id(), err.getMessage()));
  }

  /** A smoothed speed: the device's reading when it sends one. */
  private double trackSpeed(Fix fix) {
    double reading = Double.isNaN(fix.speedKmh()) ? DEFAULT_SPEED_KMH : fix.speedKmh();
    return speedKmh.merge(fix.driverId(), reading,
        (old, neu) -> old * (1 - SPEED_SMOOTHING) + neu * SPEED_SMOOTHING);
  }
}
