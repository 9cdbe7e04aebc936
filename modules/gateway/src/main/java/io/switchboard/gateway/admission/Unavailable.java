package io.switchboard.gateway.admission;

import io.switchboard.core.http.JsonErrors;
import io.vertx.core.http.HttpServerResponse;

/**
 * A node that drains, or is not ready yet, takes no new subscriber of any transport: 503 with {@code Retry-After: 1},
 * which the shipped nginx retries on the next node (docs/load-balancing.md) and a client retries itself.
 */
public final class Unavailable {

  private Unavailable() {}

  /** Answers the refusal and returns true when the node cannot take a subscriber now. */
  public static boolean refused(HttpServerResponse response, boolean draining, boolean ready) {
    if (!draining && ready) {
      return false;
    }
    response.putHeader("Retry-After", "1");
    JsonErrors.send(response, 503, draining ? "shutting_down" : "not_ready",
        draining ? "this node is shutting down; reconnect" : "this node is not ready yet; retry shortly");
    return true;
  }
}
