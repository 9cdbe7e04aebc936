package io.switchboard.node;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.http.JsonErrors;
import io.switchboard.core.http.RouteContributor;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.List;

/**
 * The node's HTTP port. Deployed once per event loop (Vert.x balances the shared port's connections over the
 * instances); each instance mounts the routes of the roles this node runs, plus health.
 */
final class HttpFrontVerticle extends VerticleBase {

  private final SwitchboardConfig.Http config;
  private final List<RouteContributor> contributors;
  private HttpServer server;

  HttpFrontVerticle(SwitchboardConfig.Http config, List<RouteContributor> contributors) {
    this.config = config;
    this.contributors = contributors;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    contributors.forEach(c -> c.mount(router));
    router.route().failureHandler(JsonErrors::handle);
    router.errorHandler(404, JsonErrors::handle);
    router.errorHandler(405, JsonErrors::handle);
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setCompressionSupported(false)   // never compress SSE: it would buffer frames
        // HTTP/1.1 only: SSE frames are written as pre-encoded HTTP/1.1 chunks (see RawChannel); HTTP/2 is for a
        // TLS-terminating proxy in front to speak to browsers.
        .setHttp2ClearTextEnabled(false)
        // Every handler touches its request only on the request's event loop (results of PostgreSQL and of the
        // feed are brought back to it), so Vert.x can skip its per-connection cross-thread message queue: about
        // 4.4 KB of heap per idle SSE connection.
        .setStrictThreadMode(true)
        .setTcpNoDelay(true)
        .setIdleTimeout(0));
    return server.requestHandler(router).listen();
  }
}
