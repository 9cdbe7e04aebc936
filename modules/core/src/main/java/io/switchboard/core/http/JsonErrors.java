package io.switchboard.core.http;

import io.micrometer.core.instrument.Metrics;
import io.switchboard.core.auth.AuthException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Every error leaves as {@code {"error": "...", "message": "..."}} with the right status, never a stack trace.
 */
public final class JsonErrors {

  private static final Logger LOG = LoggerFactory.getLogger(JsonErrors.class);

  private JsonErrors() {}

  public static void send(HttpServerResponse response, int status, String error, String message) {
    if (response.headWritten() || response.closed()) {
      return;
    }
    if (status == 401 || status == 403 || status == 429) {
      // The error codes are a fixed vocabulary of ours: a bounded label.
      Metrics.counter("switchboard.refusals", "status", String.valueOf(status), "error", error).increment();
    }
    response.setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", error).put("message", message).encode());
  }

  public static void send(RoutingContext ctx, Throwable failure) {
    if (failure instanceof ApiError e) {
      send(ctx.response(), e.status(), e.code(), e.getMessage());
    } else if (failure instanceof AuthException e) {
      send(ctx.response(), e.status(), e.status() == 401 ? "unauthorized" : "forbidden", e.getMessage());
    } else if (failure instanceof DecodeException) {
      send(ctx.response(), 400, "invalid_json", "the request body is not valid JSON");
    } else {
      // Often on a later callback than the request's handlers: its id is put back for this line.
      String id = RequestIds.of(ctx);
      if (id != null) {
        MDC.put(RequestIds.LOG_KEY, id);
      }
      try {
        LOG.error("Unexpected failure on {} {} (request {})", ctx.request().method(), ctx.normalizedPath(), id,
            failure);
      } finally {
        MDC.remove(RequestIds.LOG_KEY);
      }
      send(ctx.response(), 500, "internal_error", "unexpected server error");
    }
  }

  /**
   * Router failure handler: statuses set by vertx-web (404, 405, 413, a refused CORS origin's 403, ...) get the same
   * JSON shape. A 4xx that vertx-web failed with an exception of its own is the client's doing, not a server error.
   */
  public static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    boolean clientError = status >= 400 && status < 500;
    if (failure != null && (!clientError || failure instanceof ApiError || failure instanceof AuthException
        || failure instanceof DecodeException)) {
      send(ctx, failure);
      return;
    }
    String error = switch (status) {
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      default -> status >= 500 ? "internal_error" : "bad_request";
    };
    String message = switch (status) {
      case 404 -> "no such resource";
      case 405 -> "method not allowed on this resource";
      case 413 -> "request body too large";
      case 403 -> "not allowed" + (failure != null && String.valueOf(failure.getMessage()).contains("CORS")
          ? ": this browser origin is not one of SB_CORS_ORIGINS" : "");
      default -> "request failed";
    };
    send(ctx.response(), status, error, message);
  }
}
