package io.switchboard.gateway.socketio.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends a request for a session to the node that owns it, over the clustered event bus, and fails it as soon as
 * that node leaves the cluster (a long-poll may wait a whole ping interval for its answer; a dead owner must not
 * keep the client waiting that long). Each node listens on its own address, {@code switchboard.socketio.<node>}.
 */
public final class Forwarder {

  public static final String ADDRESS_PREFIX = "switchboard.socketio.";

  private final Vertx vertx;
  private final ClusterMembers members;
  private final Map<String, Set<Promise<JsonObject>>> pending = new ConcurrentHashMap<>();

  public Forwarder(Vertx vertx, ClusterMembers members) {
    this.vertx = vertx;
    this.members = members;
    vertx.setPeriodic(500, t -> failForGone());
  }

  public static String addressOf(String node) {
    return ADDRESS_PREFIX + node;
  }

  /** Fails with {@link OwnerGone} when {@code owner} is not (or no longer) a member, or does not answer in time. */
  public Future<JsonObject> request(String owner, JsonObject message, long timeoutMs) {
    if (!members.isMember(owner)) {
      return Future.failedFuture(new OwnerGone(owner));
    }
    Promise<JsonObject> p = Promise.promise();
    Set<Promise<JsonObject>> mine = pending.computeIfAbsent(owner, o -> ConcurrentHashMap.newKeySet());
    mine.add(p);
    vertx.eventBus().<JsonObject>request(addressOf(owner), message, new DeliveryOptions().setSendTimeout(timeoutMs))
        .onComplete(ar -> {
          mine.remove(p);
          if (ar.succeeded()) {
            p.tryComplete(ar.result().body());
          } else {
            p.tryFail(new OwnerGone(owner));
          }
        });
    return p.future();
  }

  private void failForGone() {
    pending.forEach((owner, promises) -> {
      if (promises.isEmpty()) {
        pending.remove(owner, promises);
      } else if (!members.isMember(owner)) {
        for (Promise<JsonObject> p : promises) {
          p.tryFail(new OwnerGone(owner));
        }
        promises.clear();
      }
    });
  }

  /** The session's node cannot be reached: to the client, the session is unknown; it reconnects and recovers. */
  public static final class OwnerGone extends RuntimeException {
    public OwnerGone(String owner) {
      super("the node owning the session (" + owner + ") is not reachable", null, false, false);
    }
  }
}
