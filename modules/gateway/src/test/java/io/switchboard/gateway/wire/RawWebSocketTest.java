package io.switchboard.gateway.wire;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our own WebSocket (RFC 6455) under Vert.x's HTTP connection, against the JDK's WebSocket client: the handshake,
 * whole messages from one frame or several, pings, both sides' closes, and the close code a client gets when its
 * message is too large, also while it is still sending it.
 */
class RawWebSocketTest {

  private static final int MAX_PAYLOAD = 64 * 1024;

  private Vertx vertx;
  private HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final BlockingQueue<String> serverClosed = new LinkedBlockingQueue<>();

  @BeforeEach
  void startServer() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    server = vertx.createHttpServer(new HttpServerOptions().setStrictThreadMode(true)).requestHandler(req -> {
      String refusal = WebSocketHandshake.refusal(req);
      if (refusal != null) {
        req.response().setStatusCode(400).end(refusal);
        return;
      }
      RawWebSocket ws = RawWebSocket.accept(req, MAX_PAYLOAD);
      ws.listen(new WebSocketListener() {
        @Override
        public void text(String text) {
          if (text.equals("end")) {
            ws.writeText("goodbye");
            ws.end();
            return;
          }
          ws.writeText(text.length() > 100 ? "echo of " + text.length() + " characters" : "echo:" + text);
        }

        @Override
        public void binary(byte[] data) {
          ws.writeText("binary of " + data.length + " bytes");
        }

        @Override
        public void closed() {
          serverClosed.add("closed");
        }
      });
    });
    server.listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stopServer() {
    vertx.close().await();
  }

  @Test
  void the_accept_key_is_the_one_of_rfc_6455() {
    assertThat(WebSocketHandshake.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  }

  @Test
  void messages_arrive_whole_whether_sent_in_one_frame_or_several_and_pings_get_pongs() throws Exception {
    Client client = connect();
    client.ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
    assertThat(client.next()).isEqualTo("echo:hello");

    client.ws.sendText("x".repeat(30_000), false).get(5, TimeUnit.SECONDS);
    client.ws.sendText("y".repeat(30_000), true).get(5, TimeUnit.SECONDS);
    assertThat(client.next()).isEqualTo("echo of 60000 characters");

    client.ws.sendBinary(ByteBuffer.wrap(new byte[1000]), true).get(5, TimeUnit.SECONDS);
    assertThat(client.next()).isEqualTo("binary of 1000 bytes");

    client.ws.sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3})).get(5, TimeUnit.SECONDS);
    assertThat(client.next()).isEqualTo("pong of 3 bytes");

    client.ws.sendText("héllo wörld ✓", true).get(5, TimeUnit.SECONDS);
    assertThat(client.next()).isEqualTo("echo:héllo wörld ✓");
  }

  @Test
  void a_client_that_closes_gets_its_status_echoed_and_the_server_sees_the_end() throws Exception {
    Client client = connect();
    client.ws.sendClose(4000, "bye").get(5, TimeUnit.SECONDS);
    assertThat(client.next()).isEqualTo("close 4000");
    assertThat(serverClosed.poll(5, TimeUnit.SECONDS)).isEqualTo("closed");
  }

  @Test
  void a_server_that_ends_sends_its_last_message_and_a_close_frame_and_closes_on_the_clients_answer()
      throws Exception {
    Client client = connect();
    client.ws.sendText("end", true).get(5, TimeUnit.SECONDS);
    assertThat(client.next()).isEqualTo("goodbye");
    long start = System.nanoTime();
    assertThat(client.next()).isEqualTo("close 1000");
    assertThat(serverClosed.poll(5, TimeUnit.SECONDS)).isEqualTo("closed");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .as("closed on the client's close frame, not after the closing timeout")
        .isLessThan(WebSocketInput.CLOSING_TIMEOUT_MS);
  }

  @Test
  void a_message_past_max_payload_gets_1009() throws Exception {
    Client client = connect();
    client.ws.sendText("z".repeat(MAX_PAYLOAD + 1), true);
    assertThat(client.next()).isEqualTo("close 1009");
    assertThat(serverClosed.poll(5, TimeUnit.SECONDS)).isEqualTo("closed");
  }

  @Test
  void a_client_still_sending_a_too_large_message_can_finish_and_then_read_the_close_frame() throws Exception {
    // The client writes all of a 4 MB message before it reads: the server must keep reading (and dropping) the
    // rest after its close frame. A socket closed with unread bytes is reset, and a reset client loses what it had
    // not read yet: the close frame, so it would only see the connection fail (1006).
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(10_000);
      String head = handshakeOn(socket);
      assertThat(head).startsWith("HTTP/1.1 101");
      int length = 4 * 1024 * 1024;
      var out = socket.getOutputStream();
      out.write(new byte[] {(byte) 0x81, (byte) (0x80 | 127), 0, 0, 0, 0});
      out.write(ByteBuffer.allocate(4).putInt(length).array());
      out.write(new byte[] {1, 2, 3, 4}); // masking key
      byte[] chunk = new byte[64 * 1024];
      for (int sent = 0; sent < length; sent += chunk.length) {
        out.write(chunk);
      }
      byte[] close = socket.getInputStream().readNBytes(4);
      assertThat(close[0] & 0xff).as("a final close frame").isEqualTo(0x88);
      assertThat(((close[2] & 0xff) << 8) | (close[3] & 0xff)).isEqualTo(1009);
    }
    assertThat(serverClosed.poll(5, TimeUnit.SECONDS)).isEqualTo("closed");
  }

  @Test
  void fragments_that_add_up_past_max_payload_get_1009() throws Exception {
    Client client = connect();
    client.ws.sendText("a".repeat(MAX_PAYLOAD / 2), false).get(5, TimeUnit.SECONDS);
    client.ws.sendText("b".repeat(MAX_PAYLOAD / 2), false).get(5, TimeUnit.SECONDS);
    client.ws.sendText("c", true);
    assertThat(client.next()).isEqualTo("close 1009");
    assertThat(serverClosed.poll(5, TimeUnit.SECONDS)).isEqualTo("closed");
  }

  @Test
  void requests_that_are_no_websocket_handshake_are_refused_by_name() throws Exception {
    String upgrade = "Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n";
    String key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    assertThat(handshake("GET", key + "Sec-WebSocket-Version: 13\r\n")).startsWith("HTTP/1.1 400")
        .endsWith("a WebSocket needs the header Upgrade: websocket");
    assertThat(handshake("GET", "Upgrade: websocket\r\n" + key + "Sec-WebSocket-Version: 13\r\n"))
        .startsWith("HTTP/1.1 400").endsWith("a WebSocket needs the header Connection: Upgrade");
    assertThat(handshake("GET", upgrade + key + "Sec-WebSocket-Version: 8\r\n")).startsWith("HTTP/1.1 400")
        .endsWith("this server speaks WebSocket version 13 (Sec-WebSocket-Version: 13)");
    assertThat(handshake("GET", upgrade + "Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n"))
        .startsWith("HTTP/1.1 400").endsWith("Sec-WebSocket-Key must be a base64 encoded 16-byte value");
    assertThat(handshake("POST", upgrade + key + "Sec-WebSocket-Version: 13\r\nContent-Length: 0\r\n"))
        .startsWith("HTTP/1.1 400").endsWith("a WebSocket opens with an HTTP/1.1 GET");
    assertThat(handshake("GET", upgrade + key + "Sec-WebSocket-Version: 13\r\n"))
        .startsWith("HTTP/1.1 101").contains("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  }

  /** What the server answers a hand-written request (headers and body, or the 101's head). */
  private String handshake(String method, String headers) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(5000);
      return send(socket, method + " / HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n");
    }
  }

  private String handshakeOn(Socket socket) throws Exception {
    return send(socket, "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  }

  /** Reads byte by byte up to the end of the answer: a 101's head, or a whole answer with a body. */
  private static String send(Socket socket, String request) throws Exception {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    StringBuilder answer = new StringBuilder();
    var in = socket.getInputStream();
    int body = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      answer.append((char) b);
      if (body < 0 && answer.toString().endsWith("\r\n\r\n")) {
        if (answer.toString().startsWith("HTTP/1.1 101")) {
          break;
        }
        body = answer.length();
      }
      if (body >= 0 && answer.length() - body >= contentLength(answer.toString())) {
        break;
      }
    }
    return answer.toString();
  }

  private static int contentLength(String answer) {
    for (String line : answer.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return Integer.MAX_VALUE;
  }

  private Client connect() throws Exception {
    Client client = new Client();
    client.ws = http.newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + server.actualPort() + "/"), client).get(5, TimeUnit.SECONDS);
    return client;
  }

  /** Records what the client gets as lines: messages, "pong of n bytes", "close CODE", "error". */
  private static final class Client implements WebSocket.Listener {
    final BlockingQueue<String> got = new LinkedBlockingQueue<>();
    final StringBuilder text = new StringBuilder();
    WebSocket ws;

    String next() throws InterruptedException {
      return got.poll(10, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        got.add(text.toString());
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      got.add("pong of " + message.remaining() + " bytes");
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      got.add("close " + statusCode);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      got.add("error " + error);
    }
  }
}
