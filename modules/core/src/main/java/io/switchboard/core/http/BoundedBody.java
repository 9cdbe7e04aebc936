package io.switchboard.core.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
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
    read(ctx.request(), maxBytes)
        .onSuccess(body -> {
          ctx.put(KEY, body);
          ctx.next();
        })
        .onFailure(err -> JsonErrors.send(ctx, err));
  }

  /**
   * Reads a request body of at most {@code maxBytes}: fails with a 413 {@link ApiError} beyond it (told by the
   * Content-Length before reading, or as the chunks arrive), a 400 for an unreadable Content-Length.
   */
  public static Future<Buffer> read(HttpServerRequest request, int maxBytes) {
    String length = request.getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBytes) {
          return Future.failedFuture(tooLarge(maxBytes));
        }
      } catch (NumberFormatException e) {
        return Future.failedFuture(ApiError.badRequest("invalid Content-Length"));
      }
    }
    Promise<Buffer> done = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (body.length() + chunk.length() > maxBytes) {
        done.tryFail(tooLarge(maxBytes));
      } else if (!done.future().isComplete()) {
        body.appendBuffer(chunk);
      }
    });
    request.endHandler(v -> done.tryComplete(body));
    // A client gone mid-body: nothing to answer, and nothing worth an error in the log.
    request.exceptionHandler(err -> done.tryFail(ApiError.badRequest("the request body could not be read")));
    request.resume();
    return done.future();
  }

  private static ApiError tooLarge(int maxBytes) {
    return new ApiError(413, "payload_too_large", "request body larger than " + maxBytes + " bytes");
  }
}
