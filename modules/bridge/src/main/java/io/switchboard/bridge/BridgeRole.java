package io.switchboard.bridge;

import io.switchboard.bridge.inbound.DeadLetters;
import io.switchboard.bridge.inbound.InboundWriter;
import io.switchboard.bridge.inbound.PubSubInbound;
import io.switchboard.bridge.inbound.StreamInbound;
import io.switchboard.bridge.outbound.OutboundMirror;
import io.switchboard.bridge.redis.RedisLink;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.log.EventLogReader;
import io.switchboard.core.log.LeaderElection;
import io.switchboard.core.log.OutboxWriter;
import io.switchboard.core.log.PgClients;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.node.HealthReport;
import io.switchboard.core.node.NodeServices;
import io.switchboard.core.node.Role;
import io.switchboard.core.node.RoleVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;

import java.time.Duration;
import java.util.List;

/**
 * The Redis bridge role of a node, one verticle talking to the rest only over the event bus and PostgreSQL:
 * <ul>
 *   <li>every bridge node reads the durable inbound stream through the consumer group ({@link StreamInbound});</li>
 *   <li>the bridge leader (a PostgreSQL advisory lock, as the relay's) subscribes to the pub/sub channels
 *   ({@link PubSubInbound}) and mirrors committed events out ({@link OutboundMirror}); another node takes over
 *   within seconds when it dies.</li>
 * </ul>
 * docs/redis-bridge.md has the message formats.
 */
public final class BridgeRole implements Role {

  private final SwitchboardConfig config;
  private final Pool pool;
  private final OutboxWriter outbox;

  private Redis pooled;
  private DeadLetters deadLetters;
  private StreamInbound stream;
  private PubSubInbound pubsub;
  private OutboundMirror mirror;
  private volatile LeaderElection election;

  public BridgeRole(NodeServices services) {
    this.config = services.config();
    this.pool = services.pool();
    this.outbox = services.outbox();
  }

  @Override
  public List<RoleVerticle> verticles() {
    return List.of(RoleVerticle.once("bridge", verticle()));
  }

  private Deployable verticle() {
    return new VerticleBase() {
      @Override
      public Future<?> start() {
        SwitchboardConfig.Bridge b = config.bridge();
        String uri = config.redis().uri();
        pooled = Redis.createClient(vertx, RedisLink.pooledOptions(uri, config.redis().poolSize()));
        deadLetters = new DeadLetters(pooled, b.deadLetter());
        InboundWriter writer = new InboundWriter(vertx, pool, outbox);
        stream = new StreamInbound(vertx, uri, pooled, b.stream(), b.group(), config.nodeId(), b.readCount(),
            b.claimIdle().toMillis(), writer, deadLetters);
        pubsub = new PubSubInbound(vertx, uri, pooled, b.channels(), writer, deadLetters, b.watchInterval().toMillis());
        mirror = new OutboundMirror(vertx, pooled, uri, new EventLogReader(pool), b.outPrefix(), b.outStream(),
            b.outStreamMaxLen(), b.outLinger().toMillis());
        election = new LeaderElection(vertx, "bridge", PgClients.connectOptions(config.postgres()), b.lockKey(),
            Duration.ofSeconds(2), conn -> lead(), v -> follow());
        stream.start();
        election.start();
        Duration retention = config.relay().retention();
        Duration entryKeys = Duration.ofHours(1).compareTo(b.claimIdle().multipliedBy(10)) > 0 ? Duration.ofHours(1)
            : b.claimIdle().multipliedBy(10);
        vertx.setPeriodic(config.relay().retentionInterval().toMillis(), t -> writer.expireKeys(retention, entryKeys));
        return mirror.start();
      }

      @Override
      public Future<?> stop() {
        election.stop();
        stream.stop();
        pubsub.stop();
        pooled.close();
        return mirror.stop();
      }
    };
  }

  private void lead() {
    if (!config.bridge().channels().isEmpty()) {
      pubsub.start();
    }
    mirror.activate();
  }

  private void follow() {
    pubsub.stop();
    mirror.deactivate();
  }

  @Override
  public void metrics(MeterRegistry registry) {
    Gauge.builder("switchboard.bridge.leader", this, b -> b.election != null && b.election.isLeader() ? 1 : 0)
        .description("1 while this node leads the Redis bridge (pub/sub in, mirror out)").register(registry);
  }

  /** For /health/ready: "DEGRADED" while Redis cannot be used; the rest of the node serves as usual. */
  @Override
  public void health(HealthReport report) {
    report.part("bridge", status(), "status");
  }

  private JsonObject status() {
    boolean leader = election != null && election.isLeader();
    boolean up = stream != null && stream.isUp() && (!leader || (pubsub.isUp() || config.bridge().channels().isEmpty())
        && mirror.isUp());
    JsonObject s = new JsonObject()
        .put("status", up ? "UP" : "DEGRADED")
        .put("leader", leader)
        .put("stream", stream != null && stream.isUp() ? "UP" : "DOWN")
        .put("streamWritten", stream == null ? 0 : stream.written())
        .put("deadLetters", deadLetters == null ? 0 : deadLetters.count());
    if (leader) {
      s.put("pubsub", pubsub.isUp() ? "UP" : "DOWN").put("pubsubReceived", pubsub.received())
          .put("mirror", mirror.isUp() ? "UP" : "DOWN").put("lastMirrored", mirror.lastMirrored());
    }
    return s;
  }
}
