package io.switchboard.gateway.socketio.namespace;

import io.switchboard.core.auth.AuthException;
import io.switchboard.core.auth.Principal;
import io.switchboard.core.http.ApiError;
import io.switchboard.gateway.admission.Admitted;
import io.switchboard.gateway.admission.StreamAdmission;
import io.switchboard.gateway.feed.ResumePlan;
import io.switchboard.gateway.socketio.cluster.RecoveryStore;
import io.switchboard.gateway.socketio.engine.EngineSession;
import io.switchboard.gateway.socketio.protocol.SocketCodec;
import io.switchboard.gateway.socketio.protocol.SocketPacket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a socket is born: a namespace CONNECT is authenticated, its session recovered when it asks to be (its
 * {@code pid} and {@code offset}: its rooms come back from the cluster's {@link RecoveryStore} and the events it
 * missed from the event log, whichever node served it before), admitted like an SSE stream, indexed in the fan-out
 * before its resume is planned (so nothing falls between replay and live), and answered with its {@code sid} and
 * {@code pid}. Then the client learns its position ({@code switchboard:offset}) so that it can recover even before
 * its first event, or, when the session it asked for is gone, gets {@code switchboard:reset}.
 */
final class NamespaceConnector {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SocketServices services;

  NamespaceConnector(SocketServices services) {
    this.services = services;
  }

  private record Request(Principal principal, RecoveryStore.Session recovered, List<Room> rooms, List<String> dropped) {}

  void connect(SocketIoConnection conn, SocketPacket p) {
    String nsp = p.nsp();
    if (Namespaces.indexOf(nsp) < 0) {
      refuse(conn, nsp, "Invalid namespace", null);
      return;
    }
    JsonObject auth = p.auth();
    String pid = auth.getValue("pid") instanceof String s && !s.isEmpty() ? s : null;
    Long offset = offsetOf(auth.getValue("offset"));
    onLoop(conn, credentials(conn, auth)
        .compose(principal -> (pid != null && offset != null ? services.recovery().get(pid)
            : Future.<RecoveryStore.Session>succeededFuture(null))
            .map(rec -> rec != null && matches(rec, nsp, principal) ? rec : null)
            .compose(rec -> rooms(conn, nsp, principal, auth, rec)))
        .compose(req -> services.admission().admit(req.principal(), channelsOf(req.rooms()),
            conn.handshake().client(), true).map(a -> Map.entry(req, a))))
        .onSuccess(e -> open(conn, nsp, pid, offset, e.getKey(), e.getValue()))
        .onFailure(err -> refuse(conn, nsp, messageOf(err), new JsonObject()
            .put("error", err instanceof ApiError a ? a.code()
                : StreamAdmission.statusOf(err) == 401 ? "unauthorized" : "forbidden")
            .put("status", StreamAdmission.statusOf(err))));
  }

  /** The CONNECT's own credentials ({@code auth.token}, {@code auth.ticket}), else the handshake's. */
  private Future<Principal> credentials(SocketIoConnection conn, JsonObject auth) {
    String token = auth.getValue("token") instanceof String t && !t.isBlank() ? stripBearer(t) : null;
    String ticket = auth.getValue("ticket") instanceof String t && !t.isBlank() ? t : null;
    if (token != null || ticket != null) {
      return services.admission().authenticate(ticket, token, true);
    }
    if (conn.handshakeUsed()) {
      return Future.succeededFuture(conn.handshakePrincipal());
    }
    Handshake h = conn.handshake();
    if (h.untrustedCookie()) {
      return Future.failedFuture(AuthException.forbidden(
          "the access_token cookie came from a page of another origin; send the token in auth.token"));
    }
    return services.admission().authenticate(h.ticket(), h.token(), false)
        .onSuccess(conn::handshakeResolved);
  }

  private static boolean matches(RecoveryStore.Session rec, String nsp, Principal p) {
    if (!rec.nsp().equals(nsp)) {
      return false;
    }
    if (p == null) {
      return rec.subject() == null;
    }
    return p.subject().equals(rec.subject()) && p.tenant().equals(rec.tenant());
  }

  /**
   * The rooms it starts in: those it had when it is recovered (each checked again; a room it may no longer follow is
   * dropped and reported), else the dashboard's shop room from the handshake ({@code auth.shopId}, {@code
   * ?shopId=}), refused with the connection when not allowed; plus a customer's own notifications on
   * {@code /notifications}.
   */
  private Future<Request> rooms(SocketIoConnection conn, String nsp, Principal p, JsonObject auth,
                                RecoveryStore.Session rec) {
    Map<String, Room> rooms = new LinkedHashMap<>();
    List<String> dropped = new ArrayList<>();
    List<Future<Void>> checks = new ArrayList<>();
    if (rec != null) {
      for (String name : rec.rooms()) {
        Room r;
        try {
          r = RoomNames.of(name);
        } catch (ApiError e) {
          continue;
        }
        checks.add(services.admission().mayJoin(p, r.channel())
            .map(v -> {
              rooms.put(r.name(), r);
              return (Void) null;
            })
            .recover(err -> {
              dropped.add(name);
              return Future.succeededFuture();
            }));
      }
    } else {
      Object shop = auth.getValue("shopId");
      String shopId = shop instanceof String || shop instanceof Number ? String.valueOf(shop) : conn.handshake().shopId();
      if (shopId != null && !shopId.isBlank()) {
        Room r = RoomNames.of("shop_" + shopId);
        checks.add(services.admission().mayJoin(p, r.channel()).map(v -> {
          rooms.put(r.name(), r);
          return null;
        }));
      }
    }
    if (Namespaces.indexOf(nsp) == Namespaces.NOTIFICATIONS && p != null && p.is(Principal.CUSTOMER)) {
      Room own = RoomNames.notificationsOf(p.subject());
      rooms.put(own.name(), own);
    }
    return Future.all(checks).map(v -> new Request(p, rec, new ArrayList<>(rooms.values()), dropped));
  }

  private void open(SocketIoConnection conn, String nsp, String askedPid, Long offset, Request req, Admitted a) {
    EngineSession session = conn.session();
    if (!conn.isOpen()) {
      services.admission().release(a);
      return;
    }
    boolean recovering = req.recovered() != null;
    NamespaceSocket s = new NamespaceSocket(session, nsp, randomId(), recovering ? askedPid : randomId(),
        a.principal(), a.view(), req.rooms(), services.maxBufferBytes(), intern(a.owner()), intern(a.client()));
    services.fanout().add(s);
    services.counts().opened(s.tenant(), s.countedChannels());
    Long from = recovering ? offset : null;
    services.resumer().plan(from, s.channels()).onComplete(ar -> {
      if (!conn.isOpen()) {
        release(s, false); // the connection ended (or moved to another node) while this one was planned
        return;
      }
      if (ar.failed()) {
        release(s, false);
        session.close("resume failed");
        return;
      }
      ResumePlan plan = ar.result();
      boolean recovered = recovering && !plan.expired();
      if (!recovered) {
        s.renewPid(randomId());
      }
      // sid and pid are the protocol's; node tells which node serves the socket (consoles show it, tests use it).
      s.sendPacket(SocketCodec.connect(nsp, new JsonObject().put("sid", s.id()).put("pid", s.pid())
          .put("node", services.nodeId())));
      conn.connected(s);
      if (askedPid != null && !recovered) {
        s.emit("switchboard:reset", new JsonObject()
            .put("reason", recovering ? "offset_expired" : "unknown_session")
            .put("message", recovering
                ? "the events since your offset are no longer in the event log; reload your state"
                : "your session is unknown or older than the recovery window; reload your state and rejoin rooms")
            .put("requestedOffset", offset).put("offset", plan.head()));
      }
      if (!req.dropped().isEmpty()) {
        s.emit("error", new JsonObject().put("error", "forbidden").put("rooms", new JsonArray(req.dropped()))
            .put("message", "these rooms could not be restored: you may no longer follow them"));
      }
      if (!recovered || offset >= plan.head()) {
        s.markOffset(plan.head());
      }
      saveForRecovery(s);
      services.resumer().catchUp(s, plan, recovered ? offset : null, s.channels()).onFailure(err -> s.cutOff());
      s.startPositions();
      services.watch().watch(s);
    });
  }

  /**
   * A socket whose connection moved here from another node: as it was, from where it was. Completes once it is
   * back among the connection's sockets (or could not come back: its client got a DISCONNECT).
   */
  Future<Void> restore(SocketIoConnection conn, JsonObject state) {
    String nsp = state.getString("nsp");
    Principal p = PrincipalJson.from(state.getJsonObject("principal"));
    long lastSent = state.getLong("lastSent", 0L);
    List<Room> rooms = new ArrayList<>();
    for (Object name : state.getJsonArray("rooms", new JsonArray())) {
      rooms.add(RoomNames.of((String) name));
    }
    if (Namespaces.indexOf(nsp) == Namespaces.NOTIFICATIONS && p != null && p.is(Principal.CUSTOMER)) {
      rooms.add(RoomNames.notificationsOf(p.subject()));
    }
    return onLoop(conn, services.admission().admit(p, channelsOf(rooms), conn.handshake().client(), true))
        .onFailure(err -> conn.session().send(SocketCodec.disconnect(nsp), null))
        .onSuccess(a -> {
          if (!conn.isOpen()) {
            services.admission().release(a);
            return;
          }
          NamespaceSocket s = new NamespaceSocket(conn.session(), nsp, state.getString("id"), state.getString("pid"),
              p, a.view(), rooms, services.maxBufferBytes(), intern(a.owner()), intern(a.client()));
          services.fanout().add(s);
          services.counts().opened(s.tenant(), s.countedChannels());
          conn.connected(s);
          services.resumer().plan(lastSent, s.channels()).onComplete(ar -> {
            if (s.isClosed()) {
              return;
            }
            if (ar.failed()) {
              conn.session().close("resume failed");
              return;
            }
            services.resumer().catchUp(s, ar.result(), lastSent, s.channels()).onFailure(err -> s.cutOff());
            s.startPositions();
            services.watch().watch(s);
          });
        })
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /** Takes a socket out of the fan-out and its quotas; {@code forget}: its client left on purpose. */
  void release(NamespaceSocket s, boolean forget) {
    if (services.fanout().remove(s)) {
      services.counts().closed(s.tenant(), s.countedChannels());
      services.admission().release(s.owner(), s.client());
    }
    s.closeQuietly();
    if (forget) {
      services.recovery().remove(s.pid());
    }
  }

  void saveForRecovery(NamespaceSocket s) {
    Principal p = s.principal();
    services.recovery().put(s.pid(), new RecoveryStore.Session(s.nsp(), p == null ? "" : p.tenant(),
        p == null ? null : p.subject(), s.joinedRoomNames()));
  }

  private void refuse(SocketIoConnection conn, String nsp, String message, JsonObject data) {
    conn.refused(nsp);
    if (conn.isOpen()) {
      conn.session().send(SocketCodec.connectError(nsp, message, data), null);
      conn.session().flush();
    }
  }

  /** Completes on the connection's event loop, whatever thread the future completed on. */
  private static <T> Future<T> onLoop(SocketIoConnection conn, Future<T> f) {
    Promise<T> p = Promise.promise();
    f.onComplete(ar -> conn.session().context().runOnContext(v -> p.handle(ar)));
    return p.future();
  }

  static List<String> channelsOf(List<Room> rooms) {
    List<String> channels = new ArrayList<>(rooms.size());
    for (Room r : rooms) {
      if (!channels.contains(r.channel())) {
        channels.add(r.channel());
      }
    }
    return channels;
  }

  private static Long offsetOf(Object raw) {
    if (raw instanceof String s) {
      try {
        long v = Long.parseLong(s);
        return v < 0 ? null : v;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return raw instanceof Number n && n.longValue() >= 0 ? n.longValue() : null;
  }

  private static String stripBearer(String t) {
    return t.regionMatches(true, 0, "Bearer ", 0, 7) ? t.substring(7).trim() : t;
  }

  private static String messageOf(Throwable err) {
    return err instanceof ApiError || err instanceof AuthException ? err.getMessage() : "not available right now";
  }

  static String randomId() {
    byte[] b = new byte[15];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String intern(String s) {
    return s == null ? null : s.intern();
  }
}
