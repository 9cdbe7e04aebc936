package io.switchboard.ingest.http;

import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.JsonErrors;
import io.switchboard.core.http.PgErrors;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** The ingest APIs' answers: JSON bodies, and JSON errors with {@code Retry-After} on 503. */
public final class Responses {

  private Responses() {}

  public static void json(RoutingContext ctx, int status, Object body) {
    HttpServerResponse response = ctx.response();
    if (response.closed() || response.ended()) {
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(
        body instanceof io.vertx.core.json.JsonObject o ? o.encode()
            : body instanceof io.vertx.core.json.JsonArray a ? a.encode() : String.valueOf(body));
  }

  public static void error(RoutingContext ctx, Throwable err) {
    if (err instanceof ApiError e && e.status() == 503) {
      ctx.response().putHeader("Retry-After", "1");
    } else if (unreachable(err)) {
      // A database that cannot be reached is a temporary condition, not a bug: tell the client to come back.
      ctx.response().putHeader("Retry-After", "2");
      JsonErrors.send(ctx.response(), 503, "unavailable", "the database is unreachable; retry shortly");
      return;
    }
    JsonErrors.send(ctx, PgErrors.translate(err));
  }

  private static boolean unreachable(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException || t instanceof io.vertx.core.http.HttpClosedException
          || t instanceof java.nio.channels.ClosedChannelException
          || (t instanceof io.vertx.core.VertxException && String.valueOf(t.getMessage()).contains("closed"))) {
        return true;
      }
    }
    return false;
  }
}
