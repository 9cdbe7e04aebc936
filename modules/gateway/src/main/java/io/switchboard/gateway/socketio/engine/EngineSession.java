package io.switchboard.gateway.socketio.engine;

import io.switchboard.gateway.socketio.protocol.BadPacket;
import io.switchboard.gateway.socketio.protocol.EnginePacket;
import io.switchboard.gateway.socketio.protocol.EnginePayload;
import io.switchboard.gateway.wire.RawWebSocket;
import io.switchboard.gateway.wire.WebSocketFrames;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * One Engine.IO v4 session on its owning node: its transport (long-polling, or a WebSocket once upgraded or from
 * the start), the server's heartbeat (a ping every {@code pingInterval}, closed when no pong came within
 * {@code pingTimeout}), the probe phase of an upgrade, and its end. What rides on it is its {@link EngineListener}'s.
 * Everything runs on the session's event loop; requests that arrive elsewhere hop onto it.
 */
public final class EngineSession {

  private final String sid;
  private final Vertx vertx;
  private final Context context;
  private final EngineSettings settings;
  private final Consumer<EngineSession> onEnd;
  private EngineListener listener;
  private Transport transport;
  private boolean closed;
  private boolean upgrading;
  private boolean awaitingPong;
  private long heartbeatTimer = -1;
  private long upgradeTimer = -1;

  private EngineSession(String sid, Vertx vertx, Context context, EngineSettings settings, Transport transport,
                        Consumer<EngineSession> onEnd) {
    this.sid = sid;
    this.vertx = vertx;
    this.context = context;
    this.settings = settings;
    this.transport = transport;
    this.onEnd = onEnd;
  }

  /** A long-polling session, created by its handshake GET on the calling event loop. */
  public static EngineSession polling(String sid, Vertx vertx, EngineSettings settings, Consumer<EngineSession> onEnd) {
    return new EngineSession(sid, vertx, vertx.getOrCreateContext(), settings,
        new PollingTransport(settings.maxBufferBytes()), onEnd);
  }

  /** A WebSocket session (from the start, or upgraded here), on the WebSocket's event loop (the calling one). */
  public static EngineSession webSocket(String sid, Vertx vertx, EngineSettings settings, RawWebSocket ws,
                                        Consumer<EngineSession> onEnd) {
    return new EngineSession(sid, vertx, vertx.getOrCreateContext(), settings, new WebSocketTransport(ws), onEnd);
  }

  public String sid() {
    return sid;
  }

  public Context context() {
    return context;
  }

  public boolean isClosed() {
    return closed;
  }

  public String transportName() {
    return transport.name();
  }

  /** The open packet of the handshake ({@code upgrades}: what a polling session may upgrade to). */
  public String openPacket() {
    JsonObject open = new JsonObject().put("sid", sid)
        .put("upgrades", transport instanceof PollingTransport ? new JsonArray().add("websocket") : new JsonArray())
        .put("pingInterval", settings.pingIntervalMs())
        .put("pingTimeout", settings.pingTimeoutMs())
        .put("maxPayload", settings.maxPayload());
    return EnginePacket.OPEN_TYPE_DIGIT + open.encode();
  }

  /** Starts the heartbeat; packets from the client go to {@code l} from now on. */
  public void start(EngineListener l) {
    this.listener = l;
    schedulePing();
  }

  /** Queues a packet (a Socket.IO packet is a message: {@code 4...}); {@code frame}: its WebSocket frame, or null. */
  public void send(String text, ByteBuffer frame) {
    if (!closed) {
      transport.send(text, frame);
    }
  }

  public void flush() {
    if (!closed) {
      transport.flush();
    }
  }

  public boolean writable() {
    return !closed && transport.writable();
  }

  /** A long-polling GET. */
  public void poll(PollReply reply) {
    if (closed) {
      reply.error(EngineError.UNKNOWN_SID, "the session ended");
      return;
    }
    if (!(transport instanceof PollingTransport polling)) {
      reply.error(EngineError.BAD_REQUEST, "the session was upgraded to WebSocket");
      return;
    }
    if (polling.holding()) {
      // Two GETs at once: not a client of this protocol (or two tabs sharing a sid). The reference server ends the
      // session: the held GET gets a close packet, this one an error.
      reply.error(EngineError.BAD_REQUEST, "overlapping GET requests");
      end("transport error", "1");
      return;
    }
    if (polling.hasOutput()) {
      reply.payload(polling.drain());
    } else if (upgrading) {
      reply.payload(EnginePacket.NOOP.encode());
    } else {
      polling.hold(reply);
    }
  }

  /** A long-polling POST: its body's packets, in order. */
  public void post(String body, PollReply reply) {
    if (closed) {
      reply.error(EngineError.UNKNOWN_SID, "the session ended");
      return;
    }
    if (!(transport instanceof PollingTransport)) {
      reply.error(EngineError.BAD_REQUEST, "the session was upgraded to WebSocket");
      return;
    }
    List<EnginePacket> packets;
    try {
      packets = EnginePayload.decode(body, EngineSettings.MAX_PACKETS_PER_POST);
    } catch (BadPacket e) {
      reply.error(EngineError.BAD_REQUEST, e.getMessage());
      end("parse error", "1");
      return;
    }
    reply.payload("ok");
    for (EnginePacket p : packets) {
      if (closed) {
        return;
      }
      onPacket(p);
    }
  }

  /** A packet from the client (a WebSocket frame, or one of a POST's packets). */
  public void onPacket(EnginePacket p) {
    switch (p.type()) {
      case MESSAGE -> listener.onMessage(p);
      case PONG -> {
        awaitingPong = false;
        schedulePing();
      }
      case PING -> send("3" + p.data(), null); // only probes are expected; answering a ping costs nothing
      case CLOSE -> end("transport close", EnginePacket.NOOP.encode());
      case NOOP, UPGRADE -> { } // an upgrade packet only matters on the probing WebSocket
      case OPEN -> end("parse error", "1");
    }
    flush();
  }

  /**
   * A WebSocket probe for this session arrived (on this node or another): the held GET is answered at once (with
   * what waits, or a noop) and every GET until the upgrade completes, so the client can pause polling. False when
   * there is no polling session to upgrade.
   */
  public boolean probe() {
    if (closed || !(transport instanceof PollingTransport polling)) {
      return false;
    }
    upgrading = true;
    PollReply held = polling.takeHeld();
    if (held != null) {
      held.payload(polling.hasOutput() ? polling.drain() : EnginePacket.NOOP.encode());
    }
    if (upgradeTimer >= 0) {
      vertx.cancelTimer(upgradeTimer);
    }
    upgradeTimer = vertx.setTimer(settings.upgradeTimeoutMs(), t -> {
      upgradeTimer = -1;
      upgrading = false;
    });
    return true;
  }

  /**
   * The upgrade completed on a WebSocket, possibly on another node, which takes the session over: this one ends
   * without telling its listener (the new owner carries its state on) and hands over the packets its client has
   * not fetched yet.
   */
  public List<String> detach() {
    List<String> waiting = transport instanceof PollingTransport polling ? polling.takeOutbox() : List.of();
    stopTimers();
    closed = true;
    transport.close(EnginePacket.NOOP.encode());
    onEnd.accept(this);
    return waiting;
  }

  /** Ends the session from the server's side (a cut-off, a shutdown): the client reconnects and recovers. */
  public void close(String reason) {
    end(reason, "1");
  }

  private void end(String reason, String goodbye) {
    if (closed) {
      return;
    }
    closed = true;
    stopTimers();
    transport.close(goodbye);
    onEnd.accept(this);
    if (listener != null) {
      listener.onClose(reason);
    }
  }

  /** The WebSocket under the session closed (the client left, or the network did). */
  public void transportClosed() {
    end("transport close", null);
  }

  private void schedulePing() {
    if (closed) {
      return;
    }
    if (heartbeatTimer >= 0) {
      vertx.cancelTimer(heartbeatTimer);
    }
    heartbeatTimer = vertx.setTimer(settings.pingIntervalMs(), t -> {
      heartbeatTimer = -1;
      if (closed) {
        return;
      }
      awaitingPong = true;
      send(EnginePacket.PING.encode(), WebSocketFrames.PING);
      flush();
      heartbeatTimer = vertx.setTimer(settings.pingTimeoutMs(), t2 -> {
        heartbeatTimer = -1;
        if (awaitingPong) {
          end("ping timeout", "1");
        }
      });
    });
  }

  /** A timer on the session's event loop (for what rides on it, e.g. the namespace connect timeout). */
  public long vertxTimer(long delayMs, Runnable task) {
    return vertx.setTimer(delayMs, t -> task.run());
  }

  public void cancelTimer(long id) {
    vertx.cancelTimer(id);
  }

  private void stopTimers() {
    if (heartbeatTimer >= 0) {
      vertx.cancelTimer(heartbeatTimer);
      heartbeatTimer = -1;
    }
    if (upgradeTimer >= 0) {
      vertx.cancelTimer(upgradeTimer);
      upgradeTimer = -1;
    }
  }
}
