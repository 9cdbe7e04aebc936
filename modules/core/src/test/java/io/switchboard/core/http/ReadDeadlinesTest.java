package io.switchboard.core.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The read deadlines on a real server: an idle kept-alive connection is closed, a quiet WebSocket is not. */
class ReadDeadlinesTest {

  private static final Duration KEEP_ALIVE = Duration.ofMillis(500);

  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    ReadDeadlines deadlines = new ReadDeadlines(Duration.ofSeconds(5), Duration.ofSeconds(5), KEEP_ALIVE);
    server = vertx.createHttpServer()
        .connectionHandler(deadlines::watch)
        .webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage))
        .requestHandler(r -> r.response().end("ok"))
        .listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void a_kept_alive_connection_idle_past_the_keep_alive_time_is_closed() throws Exception {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    var client = vertx.httpClientBuilder().with(new HttpClientOptions().setKeepAlive(true))
        .withConnectHandler(c -> c.closeHandler(v -> closed.complete(null))).build();
    String body = client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
            .setPort(server.actualPort()).setURI("/"))
        .compose(req -> req.send().compose(r -> r.body()))
        .await(5, TimeUnit.SECONDS).toString();
    assertThat(body).isEqualTo("ok");
    closed.get(KEEP_ALIVE.toMillis() * 6, TimeUnit.MILLISECONDS);
  }

  @Test
  void a_websocket_quiet_for_longer_than_the_keep_alive_time_stays_open() throws Exception {
    CompletableFuture<String> echo = new CompletableFuture<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    WebSocket ws = vertx.createWebSocketClient()
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.actualPort()).setURI("/ws"))
        .await(5, TimeUnit.SECONDS);
    ws.closeHandler(v -> closed.complete(null));
    ws.textMessageHandler(echo::complete);
    Thread.sleep(KEEP_ALIVE.toMillis() * 4);
    assertThat(closed).as("closed after the keep-alive time").isNotDone();
    ws.writeTextMessage("still here");
    assertThat(echo.get(5, TimeUnit.SECONDS)).isEqualTo("still here");
  }
}
