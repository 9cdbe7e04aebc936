package io.switchboard.gateway;

import io.switchboard.core.access.ChannelAccess;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.http.RouteContributor;
import io.switchboard.core.log.EventLogReader;
import io.switchboard.gateway.feed.SequencedFeed;
import io.switchboard.gateway.live.LiveFleet;
import io.switchboard.core.position.LatestPositions;
import io.switchboard.gateway.sse.SseEndpoint;
import io.switchboard.gateway.sse.StreamRoutes;
import io.switchboard.gateway.quota.ConnectionsPerIp;
import io.switchboard.gateway.quota.StreamLimits;
import io.switchboard.gateway.quota.StreamQuota;
import io.switchboard.core.limits.RateLimit;
import io.switchboard.gateway.stats.StatsBoard;
import io.switchboard.gateway.stats.SubscriberCounts;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The SSE gateway role of a node: one {@link SequencedFeed} and one {@link LiveFleet} (deployed as one verticle,
 * holding the node's two clustered consumers: durable events and live positions) and one {@link SseEndpoint} per
 * HTTP server instance.
 */
public final class Gateway {

  public static final String STREAM_PATH = StreamRoutes.STREAM_PATH;

  private final Vertx vertx;
  private final SwitchboardConfig config;
  private final TokenVerifier verifier;
  private final EventLogReader reader;
  private final ChannelAccess access;
  private final StreamLimits limits;
  private final SequencedFeed feed;
  private final LiveFleet fleet;
  private final List<SseEndpoint> endpoints = new CopyOnWriteArrayList<>();
  private final SubscriberCounts counts = new SubscriberCounts();

  public Gateway(Vertx vertx, SwitchboardConfig config, Pool pool, TokenVerifier verifier, ChannelAccess access) {
    this.vertx = vertx;
    this.config = config;
    this.verifier = verifier;
    this.reader = new EventLogReader(pool);
    this.access = access;
    RateLimit opens = new RateLimit(config.sse().rates().openRate(), config.sse().rates().openBurst());
    vertx.setPeriodic(60_000, t -> opens.forgetIdle());
    this.limits = new StreamLimits(new StreamQuota(vertx, config.nodeId(), config.sse().maxStreamsPerUser(),
        config.sse().streamQuotaTtl(), new StatsBoard(vertx)),
        new ConnectionsPerIp(config.sse().maxStreamsPerIp(), config.sse().trustedProxies()), opens);
    this.feed = new SequencedFeed(vertx, reader, config.feed());
    this.fleet = new LiveFleet(vertx, new LatestPositions(vertx, config.redis(), config.ingest().staleAfter().toMillis()),
        config.ingest().liveInterval().toMillis(), config.ingest().staleAfter().toMillis());
  }

  public Deployable feedVerticle() {
    return new VerticleBase() {
      @Override
      public Future<?> start() {
        new StatsBoard(vertx).report(config.nodeId(), counts::toJson);
        return Future.all(feed.start(), fleet.start());
      }

      @Override
      public Future<?> stop() {
        return Future.all(feed.stop(), fleet.stop());
      }
    };
  }

  public RouteContributor routes() {
    return router -> {
      SseEndpoint endpoint = new SseEndpoint(vertx, feed, reader, verifier, config, counts, access, limits, fleet);
      endpoints.add(endpoint);
      StreamRoutes.mount(router, endpoint);
    };
  }

  public boolean ready() {
    return feed.ready();
  }

  public long head() {
    return feed.head();
  }

  public int connections() {
    return endpoints.stream().mapToInt(SseEndpoint::connectionCount).sum();
  }

  /** Stops taking streams and asks every connected client to reconnect elsewhere. */
  public Future<Void> drain() {
    return Future.all(endpoints.stream().map(SseEndpoint::drain).toList()).mapEmpty();
  }
}
