package io.switchboard.gateway.socketio.namespace;

import io.switchboard.core.auth.Principal;
import io.switchboard.gateway.socketio.engine.EngineListener;
import io.switchboard.gateway.socketio.engine.EngineSession;
import io.switchboard.gateway.socketio.protocol.BadPacket;
import io.switchboard.gateway.socketio.protocol.EnginePacket;
import io.switchboard.gateway.socketio.protocol.SocketCodec;
import io.switchboard.gateway.socketio.protocol.SocketPacket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Socket.IO layer of one Engine.IO session: decodes its messages (binary attachments are counted and dropped:
 * nothing we serve takes binary), and keeps its sockets, one per namespace it connected to. Connecting is
 * {@link NamespaceConnector}'s, rooms are {@link RoomCommands}'. A packet that is not the protocol closes the
 * connection, as the reference server does; the client reconnects and recovers. On its session's event loop.
 */
public final class SocketIoConnection implements EngineListener {

  private static final Logger LOG = LoggerFactory.getLogger(SocketIoConnection.class);

  private final EngineSession session;
  private final Handshake handshake;
  private final NamespaceConnector connector;
  private final RoomCommands rooms;
  private final Map<String, NamespaceSocket> sockets = new HashMap<>(2);
  private final Set<String> connecting = new HashSet<>(2);
  private Principal handshakePrincipal;
  private boolean handshakeUsed;
  private SocketPacket awaitingAttachments;
  private int attachmentsLeft;
  private long connectTimer = -1;
  private Promise<Void> settled;
  private int commandsInFlight;
  /** Messages that came while sockets moved here from another node were still being restored. */
  private List<EnginePacket> held;

  public SocketIoConnection(EngineSession session, Handshake handshake, SocketServices services) {
    this.session = session;
    this.handshake = handshake;
    this.connector = new NamespaceConnector(services);
    this.rooms = new RoomCommands(services);
  }

  public EngineSession session() {
    return session;
  }

  Handshake handshake() {
    return handshake;
  }

  /** Starts the session; a client that connects no namespace within the connect timeout is closed. */
  public void start(long connectTimeoutMs) {
    session.start(this);
    if (connectTimeoutMs > 0) {
      connectTimer = session.vertxTimer(connectTimeoutMs, () -> {
        connectTimer = -1;
        if (sockets.isEmpty() && connecting.isEmpty()) {
          session.close("connect timeout");
        }
      });
    }
  }

  /**
   * A session moved here from another node: its sockets come back as they were, then catch up. What the client
   * sends meanwhile (it goes on as soon as the upgrade is done: a joinRoom, say) waits until they are back.
   */
  private void restore(JsonArray states) {
    session.start(this);
    List<Future<Void>> restored = new ArrayList<>();
    for (Object o : states) {
      restored.add(connector.restore(this, (JsonObject) o));
    }
    if (restored.isEmpty()) {
      return;
    }
    held = new ArrayList<>();
    Future.join(restored).onComplete(ar -> session.context().runOnContext(v -> {
      List<EnginePacket> waiting = held;
      held = null;
      for (EnginePacket m : waiting) {
        onMessage(m);
      }
      session.flush();
    }));
  }

  @Override
  public void onMessage(EnginePacket message) {
    if (held != null) {
      held.add(message);
      return;
    }
    if (message.isBinary()) {
      if (attachmentsLeft > 0 && --attachmentsLeft == 0) {
        SocketPacket p = awaitingAttachments;
        awaitingAttachments = null;
        dispatch(p);
      }
      return; // an attachment nobody announced: tolerated and dropped
    }
    if (attachmentsLeft > 0) {
      session.close("parse error");
      return;
    }
    SocketPacket p;
    try {
      p = SocketCodec.decode(message.data());
    } catch (BadPacket e) {
      LOG.debug("Closing a Socket.IO connection: {}", e.getMessage());
      session.close("parse error");
      return;
    }
    if (p.attachments() > 0) {
      awaitingAttachments = p;
      attachmentsLeft = p.attachments();
      return;
    }
    dispatch(p);
  }

  private void dispatch(SocketPacket p) {
    switch (p.type()) {
      case CONNECT -> {
        if (!sockets.containsKey(p.nsp()) && connecting.add(p.nsp())) {
          connector.connect(this, p);
        }
      }
      case DISCONNECT -> {
        NamespaceSocket s = sockets.remove(p.nsp());
        if (s != null) {
          connector.release(s, true); // on purpose: its session is not to be recovered
        }
      }
      case EVENT, BINARY_EVENT -> {
        NamespaceSocket s = sockets.get(p.nsp());
        if (s != null) {
          commandsInFlight++;
          rooms.handle(s, p).onComplete(ar -> session.context().runOnContext(v -> {
            commandsInFlight--;
            settle(null);
          }));
        }
      }
      default -> { } // acks: we never ask for one
    }
  }

  /** The credentials a CONNECT without its own falls back to, resolved once (a ticket redeems only once). */
  Principal handshakePrincipal() {
    return handshakePrincipal;
  }

  boolean handshakeUsed() {
    return handshakeUsed;
  }

  void handshakeResolved(Principal p) {
    handshakeUsed = true;
    handshakePrincipal = p;
  }

  void connected(NamespaceSocket s) {
    sockets.put(s.nsp(), s);
    if (connectTimer >= 0) {
      // Its job is done, and an idle connection should not carry a timer for the connect timeout's length.
      session.cancelTimer(connectTimer);
      connectTimer = -1;
    }
    settle(s.nsp());
    s.onRevoked(() -> {
      if (sockets.remove(s.nsp(), s)) {
        connector.release(s, true);
      }
    });
  }

  void refused(String nsp) {
    settle(nsp);
  }

  private void settle(String nsp) {
    if (nsp != null) {
      connecting.remove(nsp);
    }
    if (connecting.isEmpty() && commandsInFlight == 0 && settled != null) {
      Promise<Void> p = settled;
      settled = null;
      // After what settled it is done (a connected socket's first offset mark, its catch-up's start).
      session.context().runOnContext(v -> p.complete());
    }
  }

  /** Completes once no CONNECT and no room command is in flight (each is answered, one way or the other). */
  private Future<Void> whenSettled() {
    if (connecting.isEmpty() && commandsInFlight == 0) {
      return Future.succeededFuture();
    }
    if (settled == null) {
      settled = Promise.promise();
    }
    return settled.future();
  }

  boolean isOpen() {
    return !session.isClosed();
  }

  @Override
  public void onClose(String reason) {
    if (connectTimer >= 0) {
      session.cancelTimer(connectTimer);
    }
    List<NamespaceSocket> all = new ArrayList<>(sockets.values());
    sockets.clear();
    for (NamespaceSocket s : all) {
      connector.release(s, false); // lost, not left: recoverable from any node
    }
  }

  /**
   * Hands the sockets over to the node that took the connection (an upgrade that landed there): each leaves this
   * node's fan-out and quotas, and its state goes with the session.
   */
  public JsonArray handover() {
    JsonArray states = new JsonArray();
    for (NamespaceSocket s : sockets.values()) {
      states.add(s.handover());
      connector.release(s, false);
    }
    sockets.clear();
    if (connectTimer >= 0) {
      session.cancelTimer(connectTimer);
    }
    return states;
  }

  /**
   * Everything another node needs to carry this connection on, taken away from here (its sockets leave this node,
   * its session ends without a word to the client, which now talks to the other node); fails when it ended already.
   * A client upgrades right after its handshake, while its first CONNECT may still be checked here: the hand-over
   * waits until every CONNECT and room command is answered, so that each socket moves whole, with its answers
   * among the packets its client has not fetched yet.
   */
  public Future<JsonObject> handOver() {
    return whenSettled().compose(v -> {
      if (!connecting.isEmpty() || commandsInFlight > 0) {
        return handOver(); // another one started meanwhile
      }
      if (session.isClosed()) {
        return Future.failedFuture("the session ended");
      }
      JsonObject state = new JsonObject()
          .put("handshake", handshake.toJson())
          .put("handshakeUsed", handshakeUsed)
          .put("principal", PrincipalJson.of(handshakePrincipal))
          .put("sockets", handover());
      return Future.succeededFuture(state.put("outbox", new JsonArray(session.detach())));
    });
  }

  /**
   * A connection taken over from another node ({@link #handOver}) on {@code session}, its new WebSocket session
   * here: the packets its client had not fetched go out first, then its sockets catch up from where they were.
   */
  public static SocketIoConnection adopted(EngineSession session, JsonObject state, SocketServices services) {
    SocketIoConnection conn = new SocketIoConnection(session, Handshake.from(state.getJsonObject("handshake")),
        services);
    conn.handshakeUsed = state.getBoolean("handshakeUsed", false);
    conn.handshakePrincipal = PrincipalJson.from(state.getJsonObject("principal"));
    for (Object packet : state.getJsonArray("outbox", new JsonArray())) {
      session.send((String) packet, null);
    }
    session.flush();
    conn.restore(state.getJsonArray("sockets", new JsonArray()));
    return conn;
  }

  /** SIGTERM: the connection ends; its client reconnects through the balancer and recovers on another node. */
  public void shutdown() {
    session.close("server shutting down");
  }
}
