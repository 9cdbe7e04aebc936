package io.switchboard.gateway.socketio;

import io.switchboard.gateway.socketio.cluster.ClusterMembers;
import io.switchboard.gateway.socketio.cluster.Forwarder;
import io.switchboard.gateway.socketio.engine.EngineError;
import io.switchboard.gateway.socketio.engine.EngineSession;
import io.switchboard.gateway.socketio.engine.EngineSettings;
import io.switchboard.gateway.socketio.engine.PollReply;
import io.switchboard.gateway.socketio.namespace.SocketIoConnection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a Socket.IO session is, so that no request needs a sticky balancer. A session id is
 * {@code <owner node>.<random>}: a request that lands on its owner is served there; one that lands elsewhere is
 * forwarded to the owner over the event bus ({@link Forwarder}) and its answer relayed. A WebSocket upgrade that
 * lands elsewhere moves the session to the node holding the WebSocket ({@link #adopt}), after which the owner
 * forgets it. When the owner died, its sessions are unknown: their clients reconnect through the balancer and
 * recover their sockets on any node from the cluster's recovery store and the event log. One per node.
 */
public final class SessionDirectory {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final ClusterMembers members;
  private final Forwarder forwarder;
  private final EngineSettings settings;
  private final Map<String, SocketIoConnection> local = new ConcurrentHashMap<>();
  private final AtomicLong forwarded = new AtomicLong();
  private MessageConsumer<JsonObject> consumer;

  public SessionDirectory(Vertx vertx, EngineSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.members = new ClusterMembers(vertx);
    this.forwarder = new Forwarder(vertx, members);
  }

  /** Listens for requests forwarded by other nodes. */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Forwarder.addressOf(members.self()), this::forwarded);
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  public String newSid() {
    byte[] b = new byte[15];
    RANDOM.nextBytes(b);
    return members.self() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public void register(SocketIoConnection conn) {
    local.put(conn.session().sid(), conn);
  }

  /** A session ended (or moved away): forgotten, unless the id already names a newer session here. */
  public void ended(EngineSession session) {
    local.computeIfPresent(session.sid(), (sid, conn) -> conn.session() == session ? null : conn);
  }

  /** Requests received here for sessions of other nodes, forwarded to them. */
  public long forwarded() {
    return forwarded.get();
  }

  public int size() {
    return local.size();
  }

  public List<SocketIoConnection> all() {
    return new ArrayList<>(local.values());
  }

  /** A long-polling GET for {@code sid}, wherever it lives. */
  public void poll(String sid, PollReply reply) {
    SocketIoConnection conn = local.get(sid);
    if (conn != null) {
      conn.session().context().runOnContext(v -> conn.session().poll(reply));
      return;
    }
    forward(sid, new JsonObject().put("op", "poll").put("sid", sid), settings.pingIntervalMs() + 10_000, reply);
  }

  /** A long-polling POST for {@code sid}, wherever it lives. */
  public void post(String sid, String body, PollReply reply) {
    SocketIoConnection conn = local.get(sid);
    if (conn != null) {
      conn.session().context().runOnContext(v -> conn.session().post(body, reply));
      return;
    }
    forward(sid, new JsonObject().put("op", "post").put("sid", sid).put("body", body), 10_000, reply);
  }

  private void forward(String sid, JsonObject message, long timeoutMs, PollReply reply) {
    String owner = ownerOf(sid);
    if (owner == null || owner.equals(members.self())) {
      reply.error(EngineError.UNKNOWN_SID, "no such session");
      return;
    }
    forwarded.incrementAndGet();
    forwarder.request(owner, message, timeoutMs).onComplete(ar -> {
      if (ar.succeeded()) {
        JsonObject a = ar.result();
        reply.send(a.getInteger("status"), a.getString("type"), a.getString("body"));
      } else {
        reply.error(EngineError.UNKNOWN_SID, "the session's node is gone; reconnect to recover");
      }
    });
  }

  /** A WebSocket probe for {@code sid}: fails when there is no polling session to upgrade. */
  public Future<Void> probe(String sid) {
    SocketIoConnection conn = local.get(sid);
    if (conn != null) {
      Promise<Void> p = Promise.promise();
      conn.session().context().runOnContext(v -> {
        if (conn.session().probe()) {
          p.complete();
        } else {
          p.fail("not a polling session");
        }
      });
      return p.future();
    }
    return remote(sid, new JsonObject().put("op", "probe").put("sid", sid)).mapEmpty();
  }

  /**
   * The upgrade completed on a WebSocket of this node: the session's state, taken from wherever it lives (this
   * node's other event loop, or another node), which forgets it.
   */
  public Future<JsonObject> adopt(String sid) {
    SocketIoConnection conn = local.get(sid);
    if (conn != null) {
      Promise<JsonObject> p = Promise.promise();
      conn.session().context().runOnContext(v -> conn.handOver().onComplete(p));
      return p.future();
    }
    return remote(sid, new JsonObject().put("op", "adopt").put("sid", sid));
  }

  private Future<JsonObject> remote(String sid, JsonObject message) {
    String owner = ownerOf(sid);
    if (owner == null || owner.equals(members.self())) {
      return Future.failedFuture("no such session");
    }
    return forwarder.request(owner, message, 10_000).compose(a -> a.getBoolean("ok", false)
        ? Future.succeededFuture(a) : Future.failedFuture(a.getString("message", "refused")));
  }

  private void forwarded(Message<JsonObject> m) {
    JsonObject body = m.body();
    String sid = body.getString("sid", "");
    SocketIoConnection conn = local.get(sid);
    String op = body.getString("op", "");
    if (conn == null) {
      if (op.equals("poll") || op.equals("post")) {
        m.reply(answer(EngineError.UNKNOWN_SID.status(), PollReply.JSON,
            EngineError.UNKNOWN_SID.body("no such session")));
      } else {
        m.reply(new JsonObject().put("ok", false).put("message", "no such session"));
      }
      return;
    }
    EngineSession session = conn.session();
    session.context().runOnContext(v -> {
      switch (op) {
        case "poll" -> session.poll((status, type, text) -> m.reply(answer(status, type, text)));
        case "post" -> session.post(body.getString("body", ""),
            (status, type, text) -> m.reply(answer(status, type, text)));
        case "probe" -> m.reply(new JsonObject().put("ok", session.probe()));
        case "adopt" -> conn.handOver().onComplete(ar -> m.reply(ar.succeeded() ? ar.result().put("ok", true)
            : new JsonObject().put("ok", false).put("message", "the session ended")));
        default -> m.reply(new JsonObject().put("ok", false).put("message", "unknown operation"));
      }
    });
  }

  private static JsonObject answer(int status, String type, String body) {
    return new JsonObject().put("status", status).put("type", type).put("body", body);
  }

  private static String ownerOf(String sid) {
    int dot = sid.lastIndexOf('.');
    return dot <= 0 ? null : sid.substring(0, dot);
  }
}
