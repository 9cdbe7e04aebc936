package io.switchboard.loadgen;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

import java.net.URI;
import java.util.function.LongConsumer;

/**
 * The load client's own Socket.IO subscriber, over WebSocket only: the Engine.IO handshake, a CONNECT to the main
 * namespace (with the token in {@code auth}), {@code joinRoom} once connected, pongs to the server's pings, and
 * every {@code "t":<micros>} of an event message to {@code onTimestamp}. Nothing is decoded beyond that, so the
 * client spends little CPU per delivery (the independent client, socket.io-client, runs beside it:
 * deploy/bench/socketio-client).
 */
final class SocketIoSubscriber {

  private SocketIoSubscriber() {}

  /** Completes once the room is joined (the CONNECT was answered and the joinRoom sent). */
  static Future<WebSocket> open(WebSocketClient client, URI node, String token, String room,
                                LongConsumer onTimestamp, Runnable onError) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(node.getHost()).setPort(node.getPort())
        .setURI("/socket.io/?EIO=4&transport=websocket");
    Promise<WebSocket> joined = Promise.promise();
    return client.connect(options).compose(ws -> {
      String connect = token.equals("-") ? "40" : "40{\"token\":\"" + token + "\"}";
      ws.textMessageHandler(text -> {
        char type = text.isEmpty() ? ' ' : text.charAt(0);
        if (type == '2') {
          ws.writeTextMessage("3");
        } else if (text.startsWith("42")) {
          scan(text, onTimestamp);
        } else if (type == '0') {
          ws.writeTextMessage(connect);
        } else if (text.startsWith("40")) {
          ws.writeTextMessage("42[\"joinRoom\",\"" + room + "\"]");
          joined.tryComplete(ws);
        } else if (text.startsWith("44")) {
          joined.tryFail("refused: " + text);
        }
      });
      ws.closeHandler(v -> {
        if (!joined.tryFail("closed before joining")) {
          onError.run();
        }
      });
      ws.exceptionHandler(e -> onError.run());
      return joined.future();
    });
  }

  /** Every {@code "t":<digits>} in the message. */
  static void scan(String text, LongConsumer onTimestamp) {
    int i = text.indexOf("\"t\":");
    while (i >= 0) {
      int j = i + 4;
      long v = 0;
      while (j < text.length() && text.charAt(j) >= '0' && text.charAt(j) <= '9') {
        v = v * 10 + (text.charAt(j) - '0');
        j++;
      }
      onTimestamp.accept(v);
      i = text.indexOf("\"t\":", j);
    }
  }
}
