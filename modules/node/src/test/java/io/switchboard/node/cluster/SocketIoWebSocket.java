package io.switchboard.node.cluster;

import io.vertx.core.json.JsonArray;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Socket.IO client at the packet level, over the JDK's WebSocket: connected to the main namespace, it sends any
 * text as a packet and tells whether the server still answers afterwards or closed the connection.
 */
final class SocketIoWebSocket implements WebSocket.Listener {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String CLOSED = "\u0000closed";

  private final BlockingQueue<String> got = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket ws;
  private int acks = 100;

  private SocketIoWebSocket() {}

  /** Opened, with the main namespace connected on {@code token}'s credentials. */
  static SocketIoWebSocket connect(int port, String token) throws Exception {
    SocketIoWebSocket client = new SocketIoWebSocket();
    client.ws = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token)
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"), client)
        .get(10, TimeUnit.SECONDS);
    client.expect("0{");
    client.send("40");
    client.expect("40{");
    return client;
  }

  void send(String packet) throws Exception {
    ws.sendText(packet, true).get(10, TimeUnit.SECONDS);
  }

  /**
   * "answers" when the server acknowledges a probe event sent now, "closed" when it closed the connection (or sent
   * Engine.IO's close packet), null when neither happened in time.
   */
  String outcomeWithin(Duration timeout) throws InterruptedException {
    try {
      send("4299[\"joinRoom\",\"switchboard-probe\"]");
    } catch (Exception e) {
      return "closed";
    }
    // "1" is Engine.IO's close: the server's goodbye before it closes the connection.
    String m = firstOf(p -> p.equals("1") || p.startsWith("4399"), timeout);
    return m == null ? null : m.startsWith("4399") ? "answers" : "closed";
  }

  /** Emits {@code event} with one argument asking for an ack; the ack's arguments, as JSON text. */
  String emitWithAck(String event, Object argument) throws Exception {
    int id = ++acks;
    send("42" + id + new JsonArray().add(event).add(argument).encode());
    String ack = firstOf(p -> p.startsWith("43" + id + "["), Duration.ofSeconds(10));
    if (ack == null || ack.equals(CLOSED)) {
      throw new IllegalStateException("no ack for " + event + " " + argument);
    }
    return ack.substring(("43" + id).length());
  }

  void close() {
    ws.abort();
  }

  private void expect(String prefix) throws Exception {
    String m = firstOf(p -> p.startsWith(prefix), Duration.ofSeconds(10));
    if (m == null || m.equals(CLOSED)) {
      throw new IllegalStateException("no " + prefix + " packet");
    }
  }

  /**
   * The first packet {@code wanted} takes, skipping others; {@link #CLOSED} if the connection ends first; null on
   * timeout.
   */
  private String firstOf(Predicate<String> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String m = got.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (m == null) {
        return null;
      }
      if (m.equals(CLOSED) || wanted.test(m)) {
        return m;
      }
    }
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String packet = partial.toString();
      partial.setLength(0);
      if (packet.equals("2")) {
        webSocket.sendText("3", true);
      }
      got.add(packet);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    got.add(CLOSED);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    got.add(CLOSED);
  }
}
