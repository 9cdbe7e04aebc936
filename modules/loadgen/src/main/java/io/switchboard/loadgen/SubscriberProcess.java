package io.switchboard.loadgen;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;

/**
 * One load-client process holding many SSE connections (or Socket.IO WebSockets, {@link SocketIoSubscriber}) (a process may hold at most ~20,000 open files here).
 * Talks to the coordinator over stdin/stdout: prints {@code CONNECTED n}, obeys {@code RESET} and {@code STOP},
 * and finally prints {@code RESULT <received> <errors> <base64 histogram>}.
 */
public final class SubscriberProcess {

  private SubscriberProcess() {}

  public static void main(String[] args) throws Exception {
    Target target = Target.valueOf(args[0]);
    List<URI> nodes = new ArrayList<>();
    for (String n : args[1].split(",")) {
      nodes.add(URI.create(n));
    }
    int channels = Integer.parseInt(args[2]);
    int count = Integer.parseInt(args[3]);
    int offset = Integer.parseInt(args[4]);
    String token = args[5];

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setIdleTimeout(0), new PoolOptions().setHttp1MaxSize(count + 10).setMaxWaitQueueSize(-1));
    Histogram histogram = new Histogram(60_000_000L, 3);
    long[] received = {0};
    AtomicInteger connected = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();

    WebSocketClient webSockets = target.socketIo() ? vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(count + 10).setIdleTimeout(0)) : null;
    // Open connections in waves so the servers' accept queues are not flooded.
    List<Future<?>> wave = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int global = offset + i;
      URI node = nodes.get(global % nodes.size());
      String channel = "bench:" + (global % channels);
      if (webSockets != null) {
        wave.add(SocketIoSubscriber.open(webSockets, node, token, target.subscribePath(channel), t -> {
              received[0]++;
              long latency = Clock.micros() - t;
              histogram.recordValue(Math.max(0, Math.min(latency, 60_000_000L)));
            }, errors::incrementAndGet)
            .onSuccess(ws -> connected.incrementAndGet())
            .onFailure(e -> errors.incrementAndGet()));
        if (wave.size() == 250) {
          Future.join(wave).toCompletionStage().toCompletableFuture().join();
          wave.clear();
        }
        continue;
      }
      RequestOptions req = new RequestOptions().setMethod(HttpMethod.GET).setHost(node.getHost())
          .setPort(node.getPort()).setURI(target.subscribePath(channel))
          .putHeader("Accept", "text/event-stream");
      if (!token.equals("-")) {
        req.putHeader("Authorization", "Bearer " + token);
      }
      FrameScanner scanner = new FrameScanner(t -> {
        received[0]++;
        long latency = Clock.micros() - t;
        histogram.recordValue(Math.max(0, Math.min(latency, 60_000_000L)));
      });
      Future<?> f = client.request(req)
          .compose(r -> r.send())
          .map(resp -> {
            if (resp.statusCode() != 200) {
              errors.incrementAndGet();
              return null;
            }
            connected.incrementAndGet();
            resp.handler(chunk -> scanner.feed(chunk));
            resp.exceptionHandler(e -> errors.incrementAndGet());
            return null;
          })
          .onFailure(e -> errors.incrementAndGet());
      wave.add(f);
      if (wave.size() == 250) {
        Future.join(wave).toCompletionStage().toCompletableFuture().join();
        wave.clear();
      }
    }
    Future.join(wave).toCompletionStage().toCompletableFuture().join();
    System.out.println("CONNECTED " + connected.get() + " " + errors.get());
    System.out.flush();

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("RESET")) {
        vertx.runOnContext(v -> {
          histogram.reset();
          received[0] = 0;
        });
      } else if (line.equals("STOP")) {
        break;
      }
    }
    String[] result = new String[1];
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    vertx.runOnContext(v -> {
      result[0] = "RESULT " + received[0] + " " + errors.get() + " " + encode(histogram);
      done.countDown();
    });
    done.await();
    System.out.println(result[0]);
    System.out.flush();
    System.exit(0);
  }

  static String encode(Histogram h) {
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int len = h.encodeIntoCompressedByteBuffer(buf, Deflater.BEST_SPEED);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(buf.array(), 0, len);
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }
}
