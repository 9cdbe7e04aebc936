package io.switchboard.gateway;

import io.switchboard.core.auth.StreamTickets;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.http.RouteContributor;
import io.switchboard.core.limits.RateLimit;
import io.switchboard.core.log.EventLogReader;
import io.switchboard.gateway.access.AccessWatch;
import io.switchboard.gateway.admission.StreamAdmission;
import io.switchboard.gateway.fanout.Fanout;
import io.switchboard.gateway.fanout.OpenStreams;
import io.switchboard.gateway.fanout.OrderedDelivery;
import io.switchboard.gateway.feed.SequencedFeed;
import io.switchboard.gateway.live.LiveFleet;
import io.switchboard.gateway.quota.ConnectionsPerIp;
import io.switchboard.gateway.quota.StreamLimits;
import io.switchboard.gateway.quota.StreamQuota;
import io.switchboard.gateway.resume.Resumer;
import io.switchboard.gateway.socketio.SessionDirectory;
import io.switchboard.gateway.socketio.SocketIoEndpoint;
import io.switchboard.gateway.socketio.cluster.RecoveryStore;
import io.switchboard.gateway.socketio.engine.EngineSettings;
import io.switchboard.gateway.socketio.namespace.SocketIoConnection;
import io.switchboard.gateway.socketio.namespace.SocketServices;
import io.switchboard.gateway.poll.PollEndpoint;
import io.switchboard.gateway.sse.SseEndpoint;
import io.switchboard.gateway.sse.StreamRoutes;
import io.switchboard.gateway.stats.StatsBoard;
import io.switchboard.gateway.stats.SubscriberCounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.node.HealthReport;
import io.switchboard.core.node.NodeServices;
import io.switchboard.core.node.Role;
import io.switchboard.core.node.RoleVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The gateway role of a node: one {@link SequencedFeed} and one {@link LiveFleet} (deployed as one verticle holding
 * the node's two clustered consumers: durable events and live positions), and, on every event loop, one
 * {@link Fanout} that every transport's subscribers of that loop share, with the transports' endpoints around it.
 */
public final class Gateway implements Role {

  public static final String STREAM_PATH = StreamRoutes.STREAM_PATH;
  /** As the reference server: a WebSocket probe has this long to complete its upgrade. */
  private static final long UPGRADE_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final SwitchboardConfig config;
  private final EventLogReader reader;
  private final StreamAdmission admission;
  private final SequencedFeed feed;
  private final LiveFleet fleet;
  private final List<Fanout> fanouts = new CopyOnWriteArrayList<>();
  private final List<SseEndpoint> endpoints = new CopyOnWriteArrayList<>();
  private final List<PollEndpoint> polls = new CopyOnWriteArrayList<>();
  private final List<SocketIoEndpoint> socketEndpoints = new CopyOnWriteArrayList<>();
  private final EngineSettings engine;
  private final SessionDirectory sessions;
  private final RecoveryStore recovery;
  private final SubscriberCounts counts = new SubscriberCounts();

  public Gateway(NodeServices services) {
    this.vertx = services.vertx();
    this.config = services.config();
    this.reader = new EventLogReader(services.pool());
    RateLimit opens = new RateLimit(config.sse().rates().openRate(), config.sse().rates().openBurst());
    vertx.setPeriodic(60_000, t -> opens.forgetIdle());
    StreamLimits limits = new StreamLimits(new StreamQuota(vertx, config.nodeId(), config.sse().maxStreamsPerUser(),
        config.sse().streamQuotaTtl(), new StatsBoard(vertx)),
        new ConnectionsPerIp(config.sse().maxStreamsPerIp(), config.sse().trustedProxies()), opens);
    this.admission = new StreamAdmission(services.verifier(), new StreamTickets(vertx, config.sse().ticketTtl()),
        services.access(), limits, config.sse().maxChannels());
    this.feed = new SequencedFeed(vertx, reader, config.feed());
    this.engine = new EngineSettings(config.socketIo().pingInterval().toMillis(),
        config.socketIo().pingTimeout().toMillis(), config.socketIo().maxPayload(), config.sse().maxBufferBytes(),
        UPGRADE_TIMEOUT_MS);
    this.sessions = new SessionDirectory(vertx, engine);
    this.recovery = new RecoveryStore(vertx, config.socketIo().recoveryWindow());
    this.fleet = new LiveFleet(vertx, services.positions(), config.ingest().liveInterval().toMillis(),
        config.ingest().staleAfter().toMillis());
  }

  @Override
  public List<RoleVerticle> verticles() {
    return List.of(RoleVerticle.once("feed", new FeedVerticle(config.nodeId(), feed, fleet, counts, sessions)));
  }

  /** The feed and the live fleet with the node's clustered consumers, and the subscriber counts' reports. */
  private static final class FeedVerticle extends VerticleBase {
    private final String nodeId;
    private final SequencedFeed feed;
    private final LiveFleet fleet;
    private final SubscriberCounts counts;
    private final SessionDirectory sessions;

    FeedVerticle(String nodeId, SequencedFeed feed, LiveFleet fleet, SubscriberCounts counts,
                 SessionDirectory sessions) {
      this.nodeId = nodeId;
      this.feed = feed;
      this.fleet = fleet;
      this.counts = counts;
      this.sessions = sessions;
    }

    @Override
    public Future<?> start() {
      new StatsBoard(vertx).report(nodeId, counts::toJson);
      return Future.all(feed.start(), fleet.start(), sessions.start());
    }

    @Override
    public Future<?> stop() {
      return Future.all(feed.stop(), fleet.stop(), sessions.stop());
    }
  }

  /** The transports' routes, mounted once per HTTP server instance, on that instance's event loop. */
  @Override
  public List<RouteContributor> routes() {
    return List.of(router -> {
      Fanout fanout = new Fanout(vertx, feed, fleet, config.sse().flushWindow());
      Resumer resumer = new Resumer(vertx, fanout.context(), feed, reader, config.sse().replayPageSize(),
          config.sse().rates().anonymousReplayRate());
      AccessWatch watch = new AccessWatch(vertx, fanout.context(), admission.access(), config.sse().accessRecheck());
      SseEndpoint sse = new SseEndpoint(vertx, config, feed, fanout, resumer, admission, watch, counts, fleet);
      SocketServices services = new SocketServices(config.nodeId(), vertx, config.socketIo(), config.sse().maxBufferBytes(), fanout,
          resumer, admission, watch, counts, recovery);
      SocketIoEndpoint socketIo = new SocketIoEndpoint(sessions, services, engine, feed, config.http().corsOrigins());
      fanouts.add(fanout);
      endpoints.add(sse);
      socketEndpoints.add(socketIo);
      StreamRoutes.mount(router, sse);
      PollEndpoint poll = new PollEndpoint(vertx, feed, fanout, resumer, admission, config.sse().replayPageSize(),
          config.sse().maxBufferBytes());
      polls.add(poll);
      poll.mount(router);
      socketIo.mount(router);
    });
  }

  /** Ready once the node's clustered consumers are registered (before that, it would miss events). */
  @Override
  public void health(HealthReport report) {
    report.check("consumers", feed.ready())
        .put("head", feed.head())
        .put("streams", connections())
        .put("socketio", socketIoStats());
  }

  @Override
  public void metrics(MeterRegistry registry) {
    OrderedDelivery.registerMeters();
    OpenStreams.registerMeters();
    Gauge.builder("switchboard.subscribers", this, Gateway::connections)
        .description("Open SSE streams, Socket.IO sockets and waiting polls on this node").register(registry);
    Gauge.builder("switchboard.socketio.sessions", sessions, SessionDirectory::size)
        .description("Engine.IO sessions owned by this node").register(registry);
    Gauge.builder("switchboard.feed.head", feed, SequencedFeed::head)
        .description("The last sequence number this node has received").register(registry);
  }

  /** Open subscribers of every transport on this node. */
  public int connections() {
    return fanouts.stream().mapToInt(Fanout::count).sum();
  }

  /**
   * {@code {sessions, forwarded}}: Engine.IO sessions owned here, and requests this node received for sessions of
   * other nodes and forwarded to them (how much the absence of sticky sessions costs).
   */
  public JsonObject socketIoStats() {
    return new JsonObject().put("sessions", sessions.size()).put("forwarded", sessions.forwarded());
  }

  /**
   * Stops taking streams and sockets and asks every connected client to reconnect elsewhere: SSE clients with a
   * short retry, Socket.IO clients by closing their connection (they reconnect and recover on another node).
   */
  @Override
  public Future<Void> drain(Duration grace) {
    socketEndpoints.forEach(SocketIoEndpoint::drain);
    polls.forEach(PollEndpoint::drain);
    for (SocketIoConnection conn : sessions.all()) {
      conn.session().context().runOnContext(v -> conn.shutdown());
    }
    return Future.all(endpoints.stream().map(SseEndpoint::drain).toList()).mapEmpty();
  }
}
