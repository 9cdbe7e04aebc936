package io.switchboard.ingest;

import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.event.Addresses;
import io.switchboard.core.http.RouteContributor;
import io.switchboard.core.position.Fix;
import io.switchboard.core.position.FixBatchCodec;
import io.switchboard.core.position.LatestPositions;
import io.switchboard.ingest.arrival.ArrivalWatcher;
import io.switchboard.ingest.devices.DevicesApi;
import io.switchboard.ingest.devices.DriverDirectory;
import io.switchboard.ingest.filter.Filters;
import io.switchboard.ingest.fleet.FleetApi;
import io.switchboard.ingest.history.HistoryBuffer;
import io.switchboard.ingest.http.Callers;
import io.switchboard.ingest.history.HistoryWriter;
import io.switchboard.ingest.history.PositionPartitions;
import io.switchboard.ingest.json.LocationApi;
import io.switchboard.ingest.live.LiveRelay;
import io.switchboard.ingest.osmand.OsmAndGuard;
import io.switchboard.ingest.osmand.OsmAndServer;
import io.switchboard.core.http.ReadDeadlines;
import io.switchboard.core.limits.RateLimit;
import io.switchboard.ingest.pipeline.Ingestor;
import io.switchboard.ingest.pipeline.LastFixes;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.node.HealthReport;
import io.switchboard.core.node.NodeServices;
import io.switchboard.core.node.Role;
import io.switchboard.core.node.RoleVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The location ingest role of a node: the JSON location API and the fleet queries on the node's HTTP port, the
 * OsmAnd port, and one verticle that writes history, relays live fixes and watches arrivals. A position's way:
 * decoder → {@link Ingestor} (filters) → {@link HistoryBuffer} → PostgreSQL, and → {@link LiveRelay} → event bus
 * → every gateway's conflated streams.
 */
public final class IngestRole implements Role {

  private static final Duration PARTITION_UPKEEP = Duration.ofHours(1);
  private static final Duration STALE_SWEEP = Duration.ofMinutes(1);

  private final Vertx vertx;
  private final SwitchboardConfig config;
  private final Pool pool;
  private final TokenVerifier verifier;
  private final LatestPositions latest;
  private final LastFixes last = new LastFixes();
  private final HistoryBuffer buffer;
  private final HistoryWriter writer;
  private final LiveRelay relay;
  private final DriverDirectory directory;
  private final ArrivalWatcher arrivals;
  private final Ingestor ingestor;

  public IngestRole(NodeServices services) {
    this.vertx = services.vertx();
    this.config = services.config();
    this.pool = services.pool();
    this.verifier = services.verifier();
    SwitchboardConfig.Ingest ingest = config.ingest();
    this.latest = services.positions();
    this.buffer = new HistoryBuffer(ingest.bufferPoints());
    this.writer = new HistoryWriter(vertx, pool, buffer, ingest.historyBatchSize(),
        ingest.historyFlushInterval().toMillis());
    this.relay = new LiveRelay(vertx, latest, ingest.livePublishWindow().toMillis());
    this.directory = new DriverDirectory(vertx, pool);
    this.arrivals = new ArrivalWatcher(pool, services.outbox(), ingest.arrivalRadiusM(), ingest.etaInterval());
    this.ingestor = new Ingestor(new Filters(ingest.filters()), last, buffer, relay, List.of(arrivals));
  }

  @Override
  public List<RouteContributor> routes() {
    int maxBody = config.http().maxBodyBytes();
    Callers callers = new Callers(verifier, directory);
    return List.of(
        new LocationApi(callers, ingestor, config.ingest().maxBatchPoints(), maxBody),
        new DevicesApi(pool, callers, directory, maxBody, takenKeys()),
        new FleetApi(pool, callers, latest));
  }

  /** "Device key taken" answers per tenant: as many a minute as unknown keys per address on the OsmAnd port. */
  private RateLimit takenKeys() {
    int perMinute = config.ingest().osmandUnknownPerMinute();
    RateLimit limit = new RateLimit(perMinute / 60.0, perMinute);
    vertx.setPeriodic(60_000, t -> limit.forgetIdle());
    return limit;
  }

  /** The history writer, live relay and arrival watcher on one context; the OsmAnd servers, one per event loop. */
  @Override
  public List<RoleVerticle> verticles() {
    List<RoleVerticle> verticles = new ArrayList<>();
    verticles.add(RoleVerticle.once("ingest", worker()));
    int port = config.ingest().osmandPort();
    if (port > 0) {
      verticles.add(new RoleVerticle("osmand", osmAnd(port), config.http().eventLoops()));
    }
    return verticles;
  }

  private Deployable worker() {
    return new VerticleBase() {
      private MessageConsumer<Buffer> consumer;

      @Override
      public Future<?> start() {
        // Every node's accepted fixes, this one's included: the filters then judge against the cluster's newest.
        consumer = vertx.eventBus().consumer(Addresses.LIVE_POSITIONS, msg -> {
          for (Fix f : FixBatchCodec.decode(msg.body())) {
            if (f.live()) {
              last.offer(f);
            }
          }
        });
        writer.start();
        relay.start();
        arrivals.start(vertx, config.ingest().activeRunsRefresh());
        new PositionPartitions(pool, config.ingest().positionRetention()).start(vertx, PARTITION_UPKEEP);
        vertx.setPeriodic(STALE_SWEEP.toMillis(), t -> {
          last.forgetOlderThan(System.currentTimeMillis() - config.ingest().staleAfter().toMillis());
          latest.expireStale();
        });
        return consumer.completion();
      }

      @Override
      public Future<?> stop() {
        relay.stop();
        writer.stop();
        return consumer.unregister();
      }
    };
  }

  private Supplier<Deployable> osmAnd(int port) {
    SwitchboardConfig.Deadlines d = config.http().deadlines();
    OsmAndGuard guard = new OsmAndGuard(config.ingest().osmandMaxConnections(),
        config.ingest().osmandUnknownPerMinute(), new ReadDeadlines(d.head(), d.body(), d.keepAlive()),
        config.sse().trustedProxies());
    vertx.setPeriodic(60_000, t -> guard.forgetIdle());
    return () -> new OsmAndServer(config.http().host(), port, directory, ingestor, guard);
  }

  /** Shutdown: waits (at most {@code grace}) until every accepted point is in PostgreSQL. */
  @Override
  public Future<Void> drain(Duration grace) {
    Promise<Void> done = Promise.promise();
    long deadline = System.currentTimeMillis() + grace.toMillis();
    waitEmpty(done, deadline);
    return done.future();
  }

  private void waitEmpty(Promise<Void> done, long deadline) {
    if (buffer.held() == 0 || System.currentTimeMillis() > deadline) {
      done.tryComplete();
    } else {
      vertx.setTimer(50, t -> waitEmpty(done, deadline));
    }
  }

  /**
   * For /health/ready: how full the position buffer is, whether writes and Redis work. Redis away leaves the node
   * ready but degraded: streams and history work, the latest positions do not. (A full buffer answers 503 itself.)
   */
  @Override
  public void health(HealthReport report) {
    report.part("ingest", status(), "redis");
  }

  @Override
  public void metrics(MeterRegistry registry) {
    Gauge.builder("switchboard.history.buffered", buffer, HistoryBuffer::held)
        .description("Accepted positions not yet committed to the history table").register(registry);
    Gauge.builder("switchboard.history.capacity", buffer, HistoryBuffer::capacity)
        .description("Positions the history buffer holds before ingest answers 503").register(registry);
    FunctionCounter.builder("switchboard.history.dropped", writer, HistoryWriter::dropped)
        .description("Positions the database refused for their data, dropped").register(registry);
    Gauge.builder("switchboard.gps.drivers", last, LastFixes::size)
        .description("Drivers whose newest fix this node knows").register(registry);
  }

  private JsonObject status() {
    return new JsonObject()
        .put("buffered", buffer.held())
        .put("capacity", buffer.capacity())
        .put("historyStalled", writer.stalled())
        .put("redis", relay.redisHealthy() ? "UP" : "DEGRADED")
        .put("written", writer.written())
        .put("dropped", writer.dropped())
        .put("knownDrivers", last.size());
  }
}
