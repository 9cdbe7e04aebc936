package io.switchboard.gateway.socketio.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * What a socket needs to be recovered on any node after its connection is lost, even when its node died: its
 * namespace, whose it is, and the rooms it joined, in a cluster-wide map under its private id ({@code pid}), kept
 * for the recovery window from its last change. The events it missed are not here: they are in the event log, from
 * the offset the client sends back. Written when a socket connects, joins or leaves, removed when its client
 * disconnects on purpose. A write that fails is logged and costs only that socket's recovery (it gets a fresh
 * session and a reset), never its connection.
 */
public final class RecoveryStore {

  private static final Logger LOG = LoggerFactory.getLogger(RecoveryStore.class);
  private static final String MAP = "switchboard.socketio.sessions";

  /** A recoverable socket: {@code subject} null for an anonymous one. */
  public record Session(String nsp, String tenant, String subject, List<String> rooms) {}

  private final Future<AsyncMap<String, JsonObject>> map;
  private final long ttlMs;

  public RecoveryStore(Vertx vertx, Duration window) {
    this.map = vertx.sharedData().getAsyncMap(MAP);
    this.ttlMs = window.toMillis();
  }

  /** The socket under {@code pid}, or null when it is unknown or its window passed. */
  public Future<Session> get(String pid) {
    return map.compose(m -> m.get(pid)).map(json -> json == null ? null : new Session(json.getString("nsp"),
        json.getString("tenant"), json.getString("sub"), json.getJsonArray("rooms", new JsonArray()).getList()))
        .recover(err -> {
          LOG.warn("Reading a Socket.IO session for recovery failed ({}); it gets a fresh one", err.toString());
          return Future.succeededFuture(null);
        });
  }

  public void put(String pid, Session s) {
    JsonObject json = new JsonObject().put("nsp", s.nsp()).put("tenant", s.tenant()).put("sub", s.subject())
        .put("rooms", new JsonArray(s.rooms()));
    map.compose(m -> m.put(pid, json, ttlMs)).onFailure(err ->
        LOG.warn("Saving a Socket.IO session for recovery failed ({}); it will not be recoverable", err.toString()));
  }

  public void remove(String pid) {
    map.compose(m -> m.remove(pid)).onFailure(err ->
        LOG.debug("Removing a Socket.IO session failed ({}); it expires by itself", err.toString()));
  }
}
