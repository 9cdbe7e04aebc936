package io.switchboard.node;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.http.JsonErrors;
import io.switchboard.core.http.MalformedRequests;
import io.switchboard.core.http.ReadDeadlines;
import io.switchboard.core.http.RequestIds;
import io.switchboard.core.http.RouteContributor;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;

import java.util.List;
import java.util.Set;

/**
 * The node's HTTP port. Deployed once per event loop (Vert.x balances the shared port's connections over the
 * instances); each instance mounts the routes of the roles this node runs, plus health.
 */
final class HttpFrontVerticle extends VerticleBase {

  private final SwitchboardConfig.Http config;
  private final List<RouteContributor> contributors;
  private final RequestIds requestIds;
  private HttpServer server;

  HttpFrontVerticle(SwitchboardConfig.Http config, List<RouteContributor> contributors, RequestIds requestIds) {
    this.config = config;
    this.contributors = contributors;
    this.requestIds = requestIds;
  }

  /**
   * Browsers on the listed origins may call the API and open streams with credentials (the access_token cookie,
   * EventSource {@code withCredentials}); any other origin gets no CORS headers, so its browser refuses.
   */
  static CorsHandler cors(List<String> origins) {
    return CorsHandler.create()
        .addOrigins(origins)
        .allowCredentials(true)
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE))
        .allowedHeaders(Set.of("Authorization", "Content-Type", "Last-Event-ID", "If-Match", "Idempotency-Key",
            "X-Requested-With", "X-Request-Id"))
        .exposedHeaders(Set.of("ETag", "Idempotent-Replayed", "Retry-After", "X-Request-Id"))
        .maxAgeSeconds(600);
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(requestIds);
    if (!config.corsOrigins().isEmpty()) {
      router.route().handler(cors(config.corsOrigins()));
    }
    router.route().handler(new CsrfGuard(config.corsOrigins()));
    contributors.forEach(c -> c.mount(router));
    router.route().failureHandler(JsonErrors::handle);
    router.errorHandler(404, JsonErrors::handle);
    router.errorHandler(405, JsonErrors::handle);
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setCompressionSupported(false)   // never compress SSE: it would buffer frames
        // Our WebSockets (Socket.IO) are served below Vert.x (RawWebSocket) and never compressed; without these
        // Vert.x would still put a WebSocket extension handler into every connection's pipeline, which inspects
        // every request and response and stays with every idle SSE stream.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        // HTTP/1.1 only: SSE frames are written as pre-encoded HTTP/1.1 chunks (see RawChannel); HTTP/2 is for a
        // TLS-terminating proxy in front to speak to browsers.
        .setHttp2ClearTextEnabled(false)
        // Every handler touches its request only on the request's event loop (results of PostgreSQL and of the
        // feed are brought back to it), so Vert.x can skip its per-connection cross-thread message queue: about
        // 4.4 KB of heap per idle SSE connection.
        .setStrictThreadMode(true)
        .setTcpNoDelay(true)
        // A stream may name 64 channels of up to 200 characters in its URL (?channel=..&channel=..).
        .setMaxInitialLineLength(16 * 1024)
        .setIdleTimeout(0));
    ReadDeadlines deadlines = new ReadDeadlines(config.deadlines().head(), config.deadlines().body(),
        config.deadlines().keepAlive());
    return server.connectionHandler(deadlines::watch).invalidRequestHandler(MalformedRequests.INSTANCE)
        .requestHandler(router).listen();
  }
}
