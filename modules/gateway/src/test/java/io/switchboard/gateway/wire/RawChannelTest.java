package io.switchboard.gateway.wire;

import io.switchboard.gateway.feed.FrameEncoder;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The socket path of SSE streams on the epoll transport the nodes use, against a real client socket: frames go
 * straight to the kernel while it takes them, to Netty when it pushes back, and never out of order or to a socket
 * that was closed.
 */
class RawChannelTest {

  private static final String PADDING = "x".repeat(2000);

  private Vertx vertx;
  private HttpServer server;
  private final BlockingQueue<Stream> streams = new LinkedBlockingQueue<>();
  private final List<Socket> clients = new ArrayList<>();

  /** A stream as the server side sees it: its socket path and the event loop it must be used on. */
  private record Stream(RawChannel raw, Context context) {
    <T> T call(Callable<T> action) throws Exception {
      Promise<T> p = Promise.promise();
      context.runOnContext(v -> {
        try {
          p.complete(action.call());
        } catch (Exception e) {
          p.fail(e);
        }
      });
      return p.future().await();
    }

    void run(Runnable action) throws Exception {
      call(() -> {
        action.run();
        return null;
      });
    }
  }

  @BeforeEach
  void startServer() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    assertThat(vertx.isNativeTransportEnabled()).as("epoll transport").isTrue();
    server = vertx.createHttpServer().requestHandler(req -> {
      req.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
          .setWriteQueueMaxSize(Integer.parseInt(req.getParam("bound")));
      req.response().writeHead();
      RawChannel raw = RawChannel.of(req.connection());
      raw.dropRequestDecoder();
      streams.add(new Stream(raw, vertx.getOrCreateContext()));
    });
    server.listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stopServer() throws Exception {
    for (Socket s : clients) {
      s.close();
    }
    vertx.close().await();
  }

  @Test
  void frames_leave_in_the_order_written_while_a_slow_reader_makes_the_kernel_push_back() throws Exception {
    Socket client = connect(1 << 30);
    Stream stream = streams.poll(10, TimeUnit.SECONDS);
    int total = 6000;
    boolean[] handedToNetty = {false};
    // The server writes three frames per event-loop task for as long as it takes; the client reads in small
    // sips with pauses, so the kernel's buffer keeps filling and emptying while Netty holds the rest.
    stream.run(() -> writeFrom(stream, 0, total, handedToNetty));
    StringBuilder body = new StringBuilder();
    InputStream in = client.getInputStream();
    byte[] sip = new byte[16 * 1024];
    client.setSoTimeout(20_000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "{\"n\":" + (total - 1) + ",";
    while (body.indexOf(last, Math.max(0, body.length() - 3 * PADDING.length())) < 0 && System.nanoTime() < deadline) {
      int r = in.read(sip);
      if (r < 0) {
        break;
      }
      body.append(new String(sip, 0, r, StandardCharsets.ISO_8859_1));
      if (body.length() % 7 == 0) {
        Thread.sleep(1);
      }
    }
    assertThat(handedToNetty[0]).as("some frames waited in Netty's buffer").isTrue();
    assertThat(numbersIn(body.toString())).as("every frame once, in order").hasSize(total).isSorted().doesNotHaveDuplicates();

    // Drained: later frames take the direct path again, still in order.
    assertThat(stream.call(() -> stream.raw().holdsBytesInNetty())).isFalse();
    stream.run(() -> {
      stream.raw().write(frame(total));
      stream.raw().flush();
    });
    assertThat(numbersIn(readFor(client, total))).containsExactly((long) total);
  }

  private void writeFrom(Stream stream, int from, int total, boolean[] handedToNetty) {
    for (int k = from; k < Math.min(total, from + 3); k++) {
      stream.raw().write(frame(k));
    }
    stream.raw().flush();
    handedToNetty[0] |= stream.raw().holdsBytesInNetty();
    if (from + 3 < total) {
      stream.context().runOnContext(v -> writeFrom(stream, from + 3, total, handedToNetty));
    }
  }

  @Test
  void a_client_that_stops_reading_makes_the_stream_unwritable_past_the_bound() throws Exception {
    connect(65_536);
    Stream stream = streams.poll(10, TimeUnit.SECONDS);
    boolean writable = true;
    for (int n = 0; n < 2000 && writable; n++) {
      int k = n;
      writable = stream.call(() -> {
        stream.raw().write(frame(k));
        stream.raw().flush();
        return stream.raw().isWritable();
      });
    }
    assertThat(writable).as("unwritable once Netty holds more than the bound").isFalse();
  }

  @Test
  void a_closed_stream_writes_nothing_even_to_a_newer_connection_on_the_same_descriptor() throws Exception {
    Socket first = connect(1 << 30);
    Stream old = streams.poll(10, TimeUnit.SECONDS);
    old.run(() -> {
      old.raw().write(frame(0));
      old.raw().flush();
    });
    assertThat(numbersIn(readFor(first, 0))).containsExactly(0L);
    assertThat(old.call(() -> old.raw().holdsBytesInNetty())).as("on the direct path").isFalse();
    // The next client's own descriptor is taken before the server frees the old one, so the server's next
    // accept gets the lowest free number: the one just closed.
    Socket second = new Socket();
    second.bind(null);
    old.run(() -> old.raw().close());
    assertThat(readUntilEof(first)).as("nothing after the close").isEmpty();
    connect(second, 1 << 30);
    Stream fresh = streams.poll(10, TimeUnit.SECONDS);
    assertThat(fresh.call(() -> fresh.raw().descriptor())).as("the descriptor was reused")
        .isEqualTo(old.call(() -> old.raw().descriptor()));

    old.run(() -> {
      old.raw().write(frame(1));
      old.raw().flush();
    });
    fresh.run(() -> {
      fresh.raw().write(frame(2));
      fresh.raw().flush();
    });
    assertThat(numbersIn(readFor(second, 2))).containsExactly(2L);
  }

  private Socket connect(int bound) throws Exception {
    return connect(new Socket(), bound);
  }

  private Socket connect(Socket s, int bound) throws Exception {
    clients.add(s);
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", server.actualPort()));
    s.getOutputStream().write(("GET /?bound=" + bound + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  private static ByteBuffer frame(long n) {
    return FrameEncoder.chunk("id: " + n + "\ndata: {\"n\":" + n + ",\"pad\":\"" + PADDING + "\"}\n\n");
  }

  private static final Pattern N = Pattern.compile("\\{\"n\":(\\d+),");

  private static List<Long> numbersIn(String body) {
    List<Long> out = new ArrayList<>();
    Matcher m = N.matcher(body);
    while (m.find()) {
      out.add(Long.parseLong(m.group(1)));
    }
    return out;
  }

  /** Reads until the frame numbered {@code last} arrived (or 20 s passed). */
  private static String readFor(Socket s, long last) throws Exception {
    s.setSoTimeout(200);
    InputStream in = s.getInputStream();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    String marker = "{\"n\":" + last + ",";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try {
        int r = in.read(buf);
        if (r < 0) {
          break;
        }
        all.write(buf, 0, r);
        String tail = all.toString(StandardCharsets.ISO_8859_1);
        if (tail.indexOf(marker, Math.max(0, tail.length() - r - marker.length() - PADDING.length() - 64)) >= 0) {
          break;
        }
      } catch (SocketTimeoutException idle) {
        // keep waiting
      }
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }

  private static String readUntilEof(Socket s) throws Exception {
    s.setSoTimeout(10_000);
    return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
  }
}
