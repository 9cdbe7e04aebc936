package io.switchboard.core.node;

import io.switchboard.core.access.ChannelAccess;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.log.OutboxNotifier;
import io.switchboard.core.log.OutboxWriter;
import io.switchboard.core.position.LatestPositions;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/**
 * What the roles of one node share, built once per node: the PostgreSQL pool, the token verifier, the channel
 * ownership cache, the outbox writer with its one wake-up of the relay, the schema's state, and the Redis client of
 * the latest positions (made on first use: a node that runs no role needing it opens no connection).
 */
public final class NodeServices {

  private final Vertx vertx;
  private final SwitchboardConfig config;
  private final Pool pool;
  private final TokenVerifier verifier;
  private final ChannelAccess access;
  private final OutboxWriter outbox;
  private final Schema schema;
  private LatestPositions positions;

  public NodeServices(Vertx vertx, SwitchboardConfig config, Pool pool, TokenVerifier verifier, Schema schema) {
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
    this.verifier = verifier;
    this.schema = schema;
    this.access = new ChannelAccess(pool);
    // One notifier per node: its point is that one NOTIFY in flight covers every commit of the node meanwhile.
    this.outbox = OutboxWriter.quiet(new OutboxNotifier(pool));
  }

  public Vertx vertx() {
    return vertx;
  }

  public SwitchboardConfig config() {
    return config;
  }

  public Pool pool() {
    return pool;
  }

  public TokenVerifier verifier() {
    return verifier;
  }

  public ChannelAccess access() {
    return access;
  }

  public OutboxWriter outbox() {
    return outbox;
  }

  public Schema schema() {
    return schema;
  }

  public synchronized LatestPositions positions() {
    if (positions == null) {
      positions = new LatestPositions(vertx, config.redis(), config.ingest().staleAfter().toMillis());
    }
    return positions;
  }
}
