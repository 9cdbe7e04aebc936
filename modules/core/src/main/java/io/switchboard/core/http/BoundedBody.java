package io.switchboard.core.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request body of at most {@code maxBytes} into the routing context ({@link #of}), answering 413 beyond.
 * Unlike vertx-web's BodyHandler it never tries to decode forms: our bodies are JSON whatever the client's
 * Content-Type says ({@code curl -d} sends form encoding).
 */
public final class BoundedBody implements Handler<RoutingContext> {

  private static final String KEY = "switchboard.body";

  private final int maxBytes;

  private BoundedBody(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  public static BoundedBody limitedTo(int maxBytes) {
    return new BoundedBody(maxBytes);
  }

  public static Buffer of(RoutingContext ctx) {
    Buffer b = ctx.get(KEY);
    return b == null ? Buffer.buffer() : b;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String length = request.getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBytes) {
          tooLarge(ctx);
          return;
        }
      } catch (NumberFormatException e) {
        JsonErrors.send(ctx.response(), 400, "bad_request", "invalid Content-Length");
        return;
      }
    }
    Buffer body = Buffer.buffer();
    boolean[] failed = {false};
    request.handler(chunk -> {
      if (failed[0]) {
        return;
      }
      if (body.length() + chunk.length() > maxBytes) {
        failed[0] = true;
        tooLarge(ctx);
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(v -> {
      if (!failed[0]) {
        ctx.put(KEY, body);
        ctx.next();
      }
    });
    request.exceptionHandler(err -> failed[0] = true);
    request.resume();
  }

  private void tooLarge(RoutingContext ctx) {
    JsonErrors.send(ctx.response(), 413, "payload_too_large", "request body larger than " + maxBytes + " bytes");
  }
}
