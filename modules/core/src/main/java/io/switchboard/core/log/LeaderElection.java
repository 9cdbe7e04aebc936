package io.switchboard.core.log;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Cluster-wide singleton election with a PostgreSQL session advisory lock held on a dedicated connection.
 *
 * <p>Why PostgreSQL and not a Hazelcast lock: Hazelcast locks in Vert.x 5 are not split-brain safe, while an
 * advisory lock lives and dies with one PostgreSQL session. Leadership is exactly "this connection is open": when
 * it closes (our node dies, PostgreSQL restarts, the network drops) the lock is gone and we are deposed. Whoever
 * is elected receives that very connection, so work that must only be done by the leader is done through it.
 */
public final class LeaderElection {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final long lockKey;
  private final String role;
  private final Duration retryInterval;
  private final Consumer<PgConnection> onElected;
  private final Handler<Void> onDeposed;

  private PgConnection connection;
  private boolean leader;
  private boolean stopped;
  private long retryTimer = -1;

  public LeaderElection(Vertx vertx, PgConnectOptions options, long lockKey, Duration retryInterval,
                        Consumer<PgConnection> onElected, Handler<Void> onDeposed) {
    this(vertx, "relay", options, lockKey, retryInterval, onElected, onDeposed);
  }

  /** {@code role} names the singleton in the log. */
  public LeaderElection(Vertx vertx, String role, PgConnectOptions options, long lockKey, Duration retryInterval,
                        Consumer<PgConnection> onElected, Handler<Void> onDeposed) {
    this.role = role;
    this.vertx = vertx;
    this.options = options;
    this.lockKey = lockKey;
    this.retryInterval = retryInterval;
    this.onElected = onElected;
    this.onDeposed = onDeposed;
  }

  public void start() {
    campaign();
  }

  public boolean isLeader() {
    return leader;
  }

  public void stop() {
    stopped = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    if (connection != null) {
      connection.close();
    }
  }

  private void campaign() {
    retryTimer = -1;
    if (stopped) {
      return;
    }
    (connection != null
        ? io.vertx.core.Future.succeededFuture(connection)
        : PgConnection.connect(vertx, options).map(this::adopt))
        .compose(conn -> conn.query("SELECT pg_try_advisory_lock(" + lockKey + ")").execute())
        .onSuccess(rows -> {
          if (rows.iterator().next().getBoolean(0)) {
            leader = true;
            LOG.info("Elected {} leader (advisory lock {})", role, lockKey);
            onElected.accept(connection);
          } else {
            retryLater();
          }
        })
        .onFailure(err -> {
          LOG.debug("{} election attempt failed: {}", role, err.getMessage());
          if (connection != null) {
            connection.close();
            connection = null;
          }
          retryLater();
        });
  }

  private PgConnection adopt(PgConnection conn) {
    connection = conn;
    conn.closeHandler(v -> {
      if (connection == conn) {
        connection = null;
      }
      if (leader) {
        leader = false;
        if (stopped) {
          LOG.info("Stepped down as {} leader (stopping)", role);
        } else {
          LOG.warn("{} leadership lost: the connection holding the advisory lock closed", role);
        }
        onDeposed.handle(null);
      }
      if (!stopped && retryTimer < 0) {
        retryLater();
      }
    });
    return conn;
  }

  private void retryLater() {
    if (!stopped && retryTimer < 0) {
      retryTimer = vertx.setTimer(retryInterval.toMillis(), t -> campaign());
    }
  }
}
