package io.switchboard.core.log;

import io.switchboard.core.event.Addresses;
import io.switchboard.core.event.NewEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes raw publishes (events that change nothing else, so need no transaction of their own) durably at the cost
 * of one statement per batch: each event loop gathers the events that arrive while its previous batch is out, and
 * sends them in one event-bus request to the relay leader, which numbers them straight into the log in its next
 * statement, together with the outbox's rows (one commit, no outbox row, no NOTIFY). The future completes once the
 * event is committed.
 *
 * <p>When the leader cannot be asked (none elected, a timeout, a failed statement, a leader that died), the
 * publisher cannot tell whether the event was numbered, so it writes the batch to the outbox with the same event
 * ids, marked "maybe numbered", and completes after that commit; the relay drops a marked row whose event is in
 * the log already. Every accepted event is numbered exactly once either way. After such a failure the loop's
 * publishes go straight to the outbox for twice the timeout before the leader is asked again, so that a leader's
 * death costs one timeout, not one per publish until the cluster has noticed.
 */
public final class DirectPublisher implements EventAppender {

  private final Vertx vertx;
  private final Pool pool;
  private final OutboxWriter outbox;
  private final DeliveryOptions delivery;
  private final int maxBatch;
  private final long pauseNanos;
  private final Map<Context, Gather> gathers = new ConcurrentHashMap<>();

  public DirectPublisher(Vertx vertx, Pool pool, OutboxWriter outbox, Duration timeout, int maxBatch) {
    this.vertx = vertx;
    this.pool = pool;
    this.outbox = outbox;
    this.delivery = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    this.maxBatch = maxBatch;
    this.pauseNanos = 2 * timeout.toNanos();
  }

  /** Returns the event's id once it is durable. Call on an event loop. */
  @Override
  public Future<String> append(NewEvent event) {
    Context context = vertx.getOrCreateContext();
    return gathers.computeIfAbsent(context, Gather::new).add(new DirectEvent(UUID.randomUUID().toString(), event));
  }

  private record Pending(DirectEvent event, Promise<String> promise) {}

  /** One event loop's gathering: one request out at a time; what comes meanwhile waits for the next. */
  private final class Gather {
    private final Context context;
    private List<Pending> pending = new ArrayList<>();
    private boolean busy;   // a request is out, or one is about to leave
    private long askAgainAt = System.nanoTime();

    Gather(Context context) {
      this.context = context;
    }

    Future<String> add(DirectEvent event) {
      Promise<String> promise = Promise.promise();
      pending.add(new Pending(event, promise));
      if (!busy) {
        busy = true;
        // After the current task: requests read in the same pass over the sockets leave together.
        context.runOnContext(v -> send());
      }
      return promise.future();
    }

    private void send() {
      if (pending.isEmpty()) {
        busy = false;
        return;
      }
      int n = Math.min(pending.size(), maxBatch);
      List<Pending> waiting = new ArrayList<>(pending.subList(0, n));
      pending = new ArrayList<>(pending.subList(n, pending.size()));
      List<DirectEvent> batch = waiting.stream().map(Pending::event).toList();
      if (System.nanoTime() - askAgainAt < 0) {
        // The leader did not answer a moment ago (it may have died, and the cluster not have noticed yet): do not
        // keep every publish of the loop waiting a timeout each; write to the outbox until it is time to ask again.
        Future<Void> written = outbox.appendMaybeNumbered(pool, batch);
        written.onComplete(ar -> send());
        settle(waiting, written);
        return;
      }
      Future<?> asked = vertx.eventBus().request(Addresses.DIRECT_EVENTS, DirectEvent.encode(batch), delivery);
      // The next batch waits for this request's answer, not for an outbox retry.
      asked.onComplete(ar -> {
        if (ar.failed()) {
          askAgainAt = System.nanoTime() + pauseNanos;
        }
        send();
      });
      settle(waiting,
          asked.transform(ar -> ar.succeeded() ? Future.succeededFuture() : outbox.appendMaybeNumbered(pool, batch)));
    }

    private void settle(List<Pending> waiting, Future<?> durable) {
      durable.onComplete(ar -> {
        for (Pending p : waiting) {
          if (ar.succeeded()) {
            p.promise.complete(p.event.eventId());
          } else {
            p.promise.fail(ar.cause());
          }
        }
      });
    }
  }
}
