package io.switchboard.gateway.socketio;

import io.switchboard.gateway.admission.Unavailable;
import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.JsonErrors;
import io.switchboard.gateway.feed.SequencedFeed;
import io.switchboard.gateway.socketio.engine.EngineError;
import io.switchboard.gateway.socketio.engine.EngineSession;
import io.switchboard.gateway.socketio.engine.EngineSettings;
import io.switchboard.gateway.socketio.engine.PollReply;
import io.switchboard.gateway.socketio.namespace.Handshake;
import io.switchboard.gateway.socketio.namespace.SocketIoConnection;
import io.switchboard.gateway.socketio.namespace.SocketServices;
import io.switchboard.gateway.wire.RawWebSocket;
import io.switchboard.gateway.wire.WebSocketHandshake;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code /socket.io/} on one event loop: Engine.IO v4's HTTP side. A request without a session id is a handshake
 * (long-polling GET, or a WebSocket from the start); one with a session id is routed to its session wherever it
 * lives ({@link SessionDirectory}); a WebSocket with a session id is an upgrade ({@link UpgradingWebSocket}).
 * Errors are the reference server's codes and messages, as JSON.
 */
public final class SocketIoEndpoint {

  public static final String PATH = "/socket.io/";

  private final SessionDirectory directory;
  private final SocketServices services;
  private final EngineSettings settings;
  private final SequencedFeed feed;
  private final List<String> allowedOrigins;
  private boolean draining;

  public SocketIoEndpoint(SessionDirectory directory, SocketServices services, EngineSettings settings,
                          SequencedFeed feed, List<String> allowedOrigins) {
    this.directory = directory;
    this.services = services;
    this.settings = settings;
    this.feed = feed;
    this.allowedOrigins = allowedOrigins;
  }

  public void mount(Router router) {
    router.route(PATH).handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    String eio = req.getParam("EIO");
    if (!"4".equals(eio)) {
      error(req.response(), EngineError.UNSUPPORTED_PROTOCOL_VERSION,
          "this server speaks Engine.IO 4 (socket.io-client 3.x and 4.x)");
      return;
    }
    String transport = req.getParam("transport");
    if (!"polling".equals(transport) && !"websocket".equals(transport)) {
      error(req.response(), EngineError.UNKNOWN_TRANSPORT, "transport is polling or websocket");
      return;
    }
    String sid = req.getParam("sid");
    if (sid == null) {
      if (Unavailable.refused(req.response(), draining, feed.ready())) {
        return;
      }
      String client = services.admission().clientOf(req);
      try {
        services.admission().checkOpenRate(client);
      } catch (ApiError e) {
        req.response().putHeader("Retry-After", "1");
        JsonErrors.send(ctx, e);
        return;
      }
      Handshake handshake = Handshake.of(req, client, allowedOrigins);
      if ("websocket".equals(transport)) {
        openWebSocket(req, handshake);
      } else if (req.method() == HttpMethod.GET) {
        openPolling(req, handshake);
      } else {
        error(req.response(), EngineError.BAD_HANDSHAKE_METHOD, "a handshake is a GET");
      }
      return;
    }
    if ("websocket".equals(transport)) {
      RawWebSocket ws = upgrade(req);
      if (ws != null) {
        new UpgradingWebSocket(ws, sid, directory, services, settings).start();
      }
    } else if (req.method() == HttpMethod.GET) {
      directory.poll(sid, replyTo(req.response()));
    } else if (req.method() == HttpMethod.POST) {
      readBody(req, body -> directory.post(sid, body, replyTo(req.response())));
    } else {
      error(req.response(), EngineError.BAD_REQUEST, "polling takes GET and POST");
    }
  }

  private void openPolling(HttpServerRequest req, Handshake handshake) {
    EngineSession session = EngineSession.polling(directory.newSid(), services.vertx(), settings, directory::ended);
    SocketIoConnection conn = new SocketIoConnection(session, handshake, services);
    directory.register(conn);
    conn.start(services.settings().connectTimeout().toMillis());
    replyTo(req.response()).payload(session.openPacket());
  }

  private void openWebSocket(HttpServerRequest req, Handshake handshake) {
    RawWebSocket ws = upgrade(req);
    if (ws == null) {
      return;
    }
    EngineSession session = EngineSession.webSocket(directory.newSid(), services.vertx(), settings, ws,
        directory::ended);
    SocketIoConnection conn = new SocketIoConnection(session, handshake, services);
    directory.register(conn);
    session.send(session.openPacket(), null);
    session.flush();
    UpgradingWebSocket.wire(ws, session);
    conn.start(services.settings().connectTimeout().toMillis());
  }

  /** The request's connection as a WebSocket, or null when it cannot be one (it was answered with 400). */
  private RawWebSocket upgrade(HttpServerRequest req) {
    String refusal = WebSocketHandshake.refusal(req);
    if (refusal != null) {
      error(req.response(), EngineError.BAD_REQUEST, "transport=websocket needs a WebSocket upgrade: " + refusal);
      return null;
    }
    return RawWebSocket.accept(req, settings.maxPayload());
  }

  /** Reads a POST body of at most {@code maxPayload} bytes; a larger one is refused with 413 as it arrives. */
  private void readBody(HttpServerRequest req, Consumer<String> then) {
    String length = req.getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > settings.maxPayload()) {
          tooLarge(req);
          return;
        }
      } catch (NumberFormatException e) {
        error(req.response(), EngineError.BAD_REQUEST, "invalid Content-Length");
        return;
      }
    }
    Buffer body = Buffer.buffer();
    req.handler(chunk -> {
      if (body.length() + chunk.length() > settings.maxPayload()) {
        tooLarge(req);
      } else if (!req.response().ended()) {
        body.appendBuffer(chunk);
      }
    });
    req.endHandler(v -> {
      if (!req.response().ended()) {
        then.accept(body.toString(StandardCharsets.UTF_8));
      }
    });
  }

  private void tooLarge(HttpServerRequest req) {
    if (!req.response().ended()) {
      req.response().putHeader("Connection", "close");
      error(req.response(), EngineError.PAYLOAD_TOO_LARGE, "a polling body is at most " + settings.maxPayload()
          + " bytes (maxPayload)");
    }
  }

  /**
   * The answer to a request, written on the request's own event loop (the server runs in strict thread mode): a
   * held GET is answered by its session, which may live on another loop of this node.
   */
  private static PollReply replyTo(HttpServerResponse response) {
    Context context = Vertx.currentContext();
    return (status, type, body) -> {
      if (Vertx.currentContext() == context) {
        write(response, status, type, body);
      } else {
        context.runOnContext(v -> write(response, status, type, body));
      }
    };
  }

  private static void write(HttpServerResponse response, int status, String type, String body) {
    if (!response.ended() && !response.closed()) {
      response.setStatusCode(status).putHeader("Content-Type", type).putHeader("Cache-Control", "no-store")
          .end(body);
    }
  }

  private static void error(HttpServerResponse response, EngineError e, String detail) {
    replyTo(response).error(e, detail);
  }

  /** SIGTERM: no new sessions here; the ones here end, and their clients recover on other nodes. */
  public void drain() {
    draining = true;
  }
}
