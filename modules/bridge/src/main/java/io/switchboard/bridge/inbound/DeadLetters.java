package io.switchboard.bridge.inbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where malformed inbound messages go: a Redis stream ({@code switchboard:dead-letter} by default) with the reason,
 * where it came from, and the original payload, so an operator can see and replay them. Never the node's problem.
 */
public final class DeadLetters {

  private static final Counter DEAD = Counter.builder("switchboard.bridge.dead.letters")
      .description("Bridge messages refused and written to the dead-letter stream").register(Metrics.globalRegistry);

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  private static final int MAX_LEN = 100_000;

  private final Redis redis;
  private final String stream;
  private long count;

  public DeadLetters(Redis redis, String stream) {
    this.redis = redis;
    this.stream = stream;
  }

  public Future<Void> send(String reason, String source, String payload) {
    count++;
    DEAD.increment();
    LOG.warn("Dead letter from {}: {}", source, reason);
    return redis.send(Request.cmd(Command.XADD).arg(stream).arg("MAXLEN").arg("~").arg(MAX_LEN).arg("*")
            .arg("reason").arg(reason).arg("source").arg(source).arg("payload").arg(payload == null ? "" : payload)
            .arg("at").arg(java.time.Instant.now().toString()))
        .mapEmpty();
  }

  public long count() {
    return count;
  }
}
