package io.switchboard.gateway.socketio;

import io.switchboard.gateway.socketio.engine.EngineSession;
import io.switchboard.gateway.socketio.engine.EngineSettings;
import io.switchboard.gateway.socketio.namespace.SocketIoConnection;
import io.switchboard.gateway.socketio.namespace.SocketServices;
import io.switchboard.gateway.socketio.protocol.BadPacket;
import io.switchboard.gateway.socketio.protocol.EnginePacket;
import io.switchboard.gateway.socketio.protocol.EnginePayload;
import io.switchboard.gateway.wire.RawWebSocket;
import io.switchboard.gateway.wire.WebSocketListener;
import io.vertx.core.Context;

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
final class UpgradingWebSocket implements WebSocketListener {

  private enum State { AWAITING_PROBE, PROBING, PROBED, ADOPTING, DONE }

  private final RawWebSocket ws;
  private final String sid;
  private final SessionDirectory directory;
  private final SocketServices services;
  private final EngineSettings settings;
  private final List<String> early = new ArrayList<>();
  private State state = State.AWAITING_PROBE;
  private Context context;

  UpgradingWebSocket(RawWebSocket ws, String sid, SessionDirectory directory, SocketServices services,
                     EngineSettings settings) {
    this.ws = ws;
    this.sid = sid;
    this.directory = directory;
    this.services = services;
    this.settings = settings;
  }

  /** On the WebSocket's event loop. */
  void start() {
    context = services.vertx().getOrCreateContext();
    ws.listen(this);
    services.vertx().setTimer(settings.upgradeTimeoutMs(), t -> {
      if (state != State.ADOPTING && state != State.DONE) {
        ws.end();
      }
    });
  }

  @Override
  public void binary(byte[] data) {
    if (state != State.ADOPTING) {
      ws.end();
    }
  }

  @Override
  public void closed() {
    state = State.DONE;
  }

  @Override
  public void text(String text) {
    switch (state) {
      case AWAITING_PROBE -> {
        if (!"2probe".equals(text)) {
          ws.end();
          return;
        }
        state = State.PROBING;
        directory.probe(sid).onComplete(ar -> context.runOnContext(v -> {
          if (state != State.PROBING) {
            return;
          }
          if (ar.failed()) {
            state = State.DONE;
            ws.end();
          } else {
            state = State.PROBED;
            ws.writeText("3probe");
          }
        }));
      }
      case PROBED -> {
        if ("5".equals(text)) {
          adopt();
        } else if (!"2probe".equals(text)) {
          ws.end();
        }
      }
      case ADOPTING -> early.add(text);
      default -> { }
    }
  }

  private void adopt() {
    state = State.ADOPTING;
    directory.adopt(sid).onComplete(ar -> context.runOnContext(v -> {
      if (ar.failed() || !ws.isOpen()) {
        state = State.DONE;
        ws.end();
        return;
      }
      EngineSession session = EngineSession.webSocket(sid, services.vertx(), settings, ws, directory::ended);
      SocketIoConnection conn = SocketIoConnection.adopted(session, ar.result(), services);
      directory.register(conn);
      state = State.DONE;
      SessionFrames frames = wire(ws, session);
      early.forEach(frames::text);
      early.clear();
    }));
  }

  /** From now on the WebSocket's messages are its session's packets. */
  static SessionFrames wire(RawWebSocket ws, EngineSession session) {
    SessionFrames frames = new SessionFrames(session);
    ws.listen(frames);
    if (!ws.isOpen()) {
      session.transportClosed();
    }
    return frames;
  }

  /** A session's WebSocket messages: one Engine.IO packet each. */
  private record SessionFrames(EngineSession session) implements WebSocketListener {

    @Override
    public void text(String text) {
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

    @Override
    public void binary(byte[] data) {
      if (!session.isClosed()) {
        session.onPacket(EnginePayload.decodeOne(data));
      }
    }

    @Override
    public void closed() {
      session.transportClosed();
    }
  }
}
