package io.switchboard.gateway.socketio;

import io.switchboard.gateway.socketio.engine.EngineSession;
import io.switchboard.gateway.socketio.engine.EngineSettings;
import io.switchboard.gateway.socketio.namespace.SocketIoConnection;
import io.switchboard.gateway.socketio.namespace.SocketServices;
import io.switchboard.gateway.socketio.protocol.BadPacket;
import io.switchboard.gateway.socketio.protocol.EnginePacket;
import io.switchboard.gateway.socketio.protocol.EnginePayload;
import io.switchboard.gateway.wire.RawChannel;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Context;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;

import java.util.ArrayList;
import java.util.List;

/**
 * A WebSocket that came to upgrade a long-polling session, on whichever node the balancer chose. It answers the
 * client's probe ({@code 2probe} → {@code 3probe}) once the session's owner confirmed there is a polling session
 * and answered its pending GET; on the client's {@code 5} it takes the session over ({@link SessionDirectory#adopt}):
 * a new session with the same id on this WebSocket's event loop, carrying the old one's sockets on from their last
 * event and the packets their client had not fetched. What the client sends meanwhile waits and is handled in
 * order once the session is here. Anything else before the upgrade closes the WebSocket; the client goes on polling.
 */
final class UpgradingWebSocket {

  private enum State { AWAITING_PROBE, PROBING, PROBED, ADOPTING, DONE }

  private final ServerWebSocket ws;
  private final HttpConnection connection;
  private final String sid;
  private final SessionDirectory directory;
  private final SocketServices services;
  private final EngineSettings settings;
  private final List<String> early = new ArrayList<>();
  private State state = State.AWAITING_PROBE;
  private Context context;

  UpgradingWebSocket(ServerWebSocket ws, HttpConnection connection, String sid, SessionDirectory directory, SocketServices services,
                     EngineSettings settings) {
    this.ws = ws;
    this.connection = connection;
    this.sid = sid;
    this.directory = directory;
    this.services = services;
    this.settings = settings;
  }

  /** On the WebSocket's event loop. */
  void start() {
    context = services.vertx().getOrCreateContext();
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(b -> {
      if (state != State.ADOPTING) {
        ws.close();
      }
    });
    ws.closeHandler(v -> state = State.DONE);
    services.vertx().setTimer(settings.upgradeTimeoutMs(), t -> {
      if (state != State.ADOPTING && state != State.DONE) {
        ws.close();
      }
    });
  }

  private void onText(String text) {
    switch (state) {
      case AWAITING_PROBE -> {
        if (!"2probe".equals(text)) {
          ws.close();
          return;
        }
        state = State.PROBING;
        directory.probe(sid).onComplete(ar -> context.runOnContext(v -> {
          if (state != State.PROBING) {
            return;
          }
          if (ar.failed()) {
            state = State.DONE;
            ws.close();
          } else {
            state = State.PROBED;
            ws.writeTextMessage("3probe");
          }
        }));
      }
      case PROBED -> {
        if ("5".equals(text)) {
          adopt();
        } else if (!"2probe".equals(text)) {
          ws.close();
        }
      }
      case ADOPTING -> early.add(text);
      default -> { }
    }
  }

  private void adopt() {
    state = State.ADOPTING;
    RawChannel raw = RawChannel.ofWebSocket(connection);
    directory.adopt(sid).onComplete(ar -> context.runOnContext(v -> {
      if (ar.failed() || ws.isClosed()) {
        state = State.DONE;
        ws.close();
        return;
      }
      EngineSession session = EngineSession.webSocket(sid, services.vertx(), settings, raw, directory::ended);
      SocketIoConnection conn = SocketIoConnection.adopted(session, ar.result(), services);
      directory.register(conn);
      state = State.DONE;
      wire(ws, session);
      for (String text : early) {
        onFrame(session, text);
      }
      early.clear();
    }));
  }

  /** From now on the WebSocket's frames are its session's packets. */
  static void wire(ServerWebSocket ws, EngineSession session) {
    ws.textMessageHandler(text -> onFrame(session, text));
    ws.binaryMessageHandler(b -> {
      if (!session.isClosed()) {
        session.onPacket(EnginePayload.decodeOne(b.getBytes()));
      }
    });
    ws.closeHandler(v -> session.transportClosed());
    ws.exceptionHandler(err -> {
      if (err instanceof CorruptedWebSocketFrameException bad) {
        // A message past maxPayload (1009) or a broken frame (1002): the client is told why before the close.
        ws.close((short) bad.closeStatus().code(), bad.closeStatus().code() == 1009 ? "message larger than maxPayload"
            : "protocol error");
      } else {
        session.transportClosed();
      }
    });
    if (ws.isClosed()) {
      session.transportClosed();
    }
  }

  private static void onFrame(EngineSession session, String text) {
    if (session.isClosed()) {
      return;
    }
    EnginePacket p;
    try {
      p = EnginePayload.decodeOne(text);
    } catch (BadPacket e) {
      session.close("parse error");
      return;
    }
    session.onPacket(p);
  }
}
