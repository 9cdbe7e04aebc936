package io.switchboard.core.http;

import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests the HTTP decoder could not read (a request line or headers beyond the limits, a malformed line or URI):
 * answered with the same JSON error as everything else, then the connection is closed, where Vert.x's default
 * answers without a body or closes without a word.
 */
public final class MalformedRequests implements Handler<HttpServerRequest> {

  public static final MalformedRequests INSTANCE = new MalformedRequests();

  private MalformedRequests() {}

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
    String message = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
    int status;
    String text;
    if (cause instanceof TooLongFrameException && message.startsWith("An HTTP line is larger than")) {
      status = 414;
      text = "the request line is too long";
    } else if (cause instanceof TooLongFrameException) {
      status = 431;
      text = "the request headers are too large";
    } else {
      status = 400;
      text = "the request could not be read as HTTP/1.1";
    }
    request.response().putHeader("Connection", "close");
    JsonErrors.send(request.response(), status, status == 400 ? "bad_request" : "request_too_large", text);
  }
}
