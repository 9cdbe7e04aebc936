package io.switchboard.gateway.sse;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Closes a client's TCP connection at once. Vert.x's own close first flushes everything queued, which for a
 * client that stopped reading never completes, so a stuck client would keep its socket and buffers forever.
 */
final class HardClose {

  private HardClose() {}

  static void close(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      // Closing from Vert.x's handler context goes straight to the transport; channel().close() would pass
      // through Vert.x's handler, which turns it into the flush-then-close that never finishes.
      base.channelHandlerContext().close();
    } else {
      connection.close();
    }
  }
}
