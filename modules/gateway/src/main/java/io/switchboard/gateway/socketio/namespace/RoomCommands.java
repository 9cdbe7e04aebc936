package io.switchboard.gateway.socketio.namespace;

import io.switchboard.core.auth.AuthException;
import io.switchboard.core.auth.Principal;
import io.switchboard.core.http.ApiError;
import io.switchboard.gateway.access.CustomerRunView;
import io.switchboard.gateway.admission.StreamAdmission;
import io.switchboard.gateway.feed.EventView;
import io.switchboard.gateway.socketio.protocol.SocketCodec;
import io.switchboard.gateway.socketio.protocol.SocketPacket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * What a client may emit: {@code joinRoom}/{@code join} and {@code leaveRoom}/{@code leave}, with a room name or an
 * array of them. A room is a channel under the channel's rules (docs/socketio.md). The answer is an ack when the
 * client asked for one ({@code {ok, room}} or {@code {ok: false, error, message, room}}), else a refusal comes as an
 * {@code error} event. Other events are not ours: an ack asked for one says so, else they are ignored, as the
 * reference server ignores events nobody listens to.
 */
final class RoomCommands {

  private final SocketServices services;
  private final NamespaceConnector connector;

  RoomCommands(SocketServices services) {
    this.services = services;
    this.connector = new NamespaceConnector(services);
  }

  /** Completes once the command is carried out and answered. */
  Future<Void> handle(NamespaceSocket s, SocketPacket p) {
    String event = p.eventName() instanceof String n ? n : "";
    switch (event) {
      case "joinRoom", "join" -> {
        return each(s, p, true);
      }
      case "leaveRoom", "leave" -> {
        return each(s, p, false);
      }
      default -> {
        if (p.wantsAck()) {
          s.sendPacket(SocketCodec.ack(s.nsp(), p.ackId(), new JsonArray().add(new JsonObject().put("ok", false)
              .put("error", "unknown_event").put("message", "this server handles joinRoom, leaveRoom, join, leave"))));
        }
        return Future.succeededFuture();
      }
    }
  }

  private Future<Void> each(NamespaceSocket s, SocketPacket p, boolean join) {
    JsonArray args = p.args();
    Object arg = args.isEmpty() ? null : args.getValue(0);
    List<String> names = new ArrayList<>();
    if (arg instanceof String name) {
      names.add(name);
    } else if (arg instanceof JsonArray list && !list.isEmpty() && list.size() <= services.settings().maxRooms()) {
      for (Object o : list) {
        names.add(o instanceof String n ? n : null);
      }
    }
    if (names.isEmpty() || names.contains(null)) {
      JsonObject bad = result(null, ApiError.badRequest("expected a room name or an array of at most "
          + services.settings().maxRooms() + " room names"));
      answer(s, p, bad, List.of(bad));
      return Future.succeededFuture();
    }
    List<JsonObject> results = new ArrayList<>(names.size());
    Future<Void> chain = Future.succeededFuture();
    for (String name : names) {
      chain = chain.compose(v -> (join ? join(s, name) : leave(s, name))
          .onComplete(ar -> results.add(result(name, ar.failed() ? ar.cause() : null)))
          .otherwiseEmpty());
    }
    boolean single = arg instanceof String;
    return chain.onComplete(ar -> answer(s, p, single ? results.get(0) : new JsonObject()
        .put("ok", results.stream().allMatch(r -> r.getBoolean("ok"))).put("rooms", new JsonArray(results)),
        results));
  }

  private Future<Void> join(NamespaceSocket s, String name) {
    Room room;
    try {
      room = RoomNames.of(name);
    } catch (ApiError e) {
      return Future.failedFuture(e);
    }
    if (s.inRoom(name)) {
      return Future.succeededFuture();
    }
    if (s.roomCount() >= services.settings().maxRooms()) {
      return Future.failedFuture(new ApiError(400, "too_many_rooms",
          "a socket may be in at most " + services.settings().maxRooms() + " rooms"));
    }
    Principal p = s.principal();
    return onLoop(s, services.admission().mayJoin(p, room.channel())
        .compose(v -> viewFor(s, room)))
        .map(view -> {
          if (s.isClosed() || s.inRoom(name)) {
            return null;
          }
          if (view != null) {
            s.updateView(view);
          }
          if (s.add(room)) {
            services.fanout().join(s, room.channel());
          }
          if (s.isLive()) {
            // Events of the room from before the join are not the client's: its offset moves past them, so a
            // recovery from it does not replay them either.
            s.markOffset(Math.max(s.lastSent(), services.fanout().lastDispatched()));
          }
          connector.saveForRecovery(s);
          return null;
        });
  }

  /** A customer following a run sees their own stops only: their view is recomputed with the run's room. */
  private Future<EventView> viewFor(NamespaceSocket s, Room room) {
    Principal p = s.principal();
    if (p == null || !p.is(Principal.CUSTOMER) || !room.channel().startsWith("run:")) {
      return Future.succeededFuture(null);
    }
    List<String> channels = new ArrayList<>(s.channels());
    channels.add(room.channel());
    return CustomerRunView.of(services.admission().access(), p, channels);
  }

  private Future<Void> leave(NamespaceSocket s, String name) {
    if (!s.inRoom(name)) {
      return Future.succeededFuture();
    }
    Room room = s.room(name);
    if (s.remove(name)) {
      services.fanout().leave(s, room.channel());
    }
    connector.saveForRecovery(s);
    return Future.succeededFuture();
  }

  private static JsonObject result(String room, Throwable err) {
    JsonObject result = new JsonObject().put("ok", err == null).put("room", room);
    if (err != null) {
      result.put("error", err instanceof ApiError a ? a.code() : StreamAdmission.statusOf(err) == 401
              ? "unauthorized" : "forbidden")
          .put("message", err instanceof ApiError || err instanceof AuthException ? err.getMessage()
              : "not available right now")
          .put("status", StreamAdmission.statusOf(err));
    }
    return result;
  }

  /** One ack for the whole command when asked for; else an {@code error} event per refused room. */
  private void answer(NamespaceSocket s, SocketPacket p, JsonObject ack, List<JsonObject> results) {
    if (s.isClosed()) {
      return;
    }
    if (p.wantsAck()) {
      s.sendPacket(SocketCodec.ack(s.nsp(), p.ackId(), new JsonArray().add(ack)));
      return;
    }
    for (JsonObject r : results) {
      if (!r.getBoolean("ok")) {
        s.emit("error", r);
      }
    }
  }

  private static <T> Future<T> onLoop(NamespaceSocket s, Future<T> f) {
    Promise<T> promise = Promise.promise();
    f.onComplete(ar -> s.session().context().runOnContext(v -> promise.handle(ar)));
    return promise.future();
  }
}
