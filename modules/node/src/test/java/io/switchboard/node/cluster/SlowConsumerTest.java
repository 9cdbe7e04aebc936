package io.switchboard.node.cluster;

import io.switchboard.core.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SlowConsumerTest {

  @Test
  void a_client_that_stops_reading_is_cut_off_while_other_subscribers_keep_their_latency() throws Exception {
    try (TestCluster cluster = TestCluster.start("slow-consumer", 1, Map.of("SB_SSE_MAX_BUFFER_BYTES", "65536"));
         Socket slow = new Socket()) {
      NodeProcess node = cluster.node(0);
      slow.setReceiveBufferSize(4096);
      slow.connect(new InetSocketAddress("127.0.0.1", node.httpPort));
      OutputStream out = slow.getOutputStream();
      out.write(("GET /api/v1/realtime/stream?channel=tenant:t1:hot HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
          + cluster.dispatcherToken + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();

      try (SseTestClient fast = new SseTestClient(List.of(node.url()), "channel=tenant:t1:hot", cluster.dispatcherToken, null)) {
        Await.until("both subscribed", Duration.ofSeconds(10), () -> node.streams() == 2);
        String padding = "x".repeat(4096);
        int total = 1500;
        for (int n = 0; n < total; n++) {
          cluster.publish(node, "tenant:t1:hot", "tick", new JsonObject().put("n", n).put("sentAt", System.currentTimeMillis())
              .put("padding", padding));
        }
        Await.until("the slow client is cut off", Duration.ofSeconds(20), () -> node.streams() == 1);
        Await.until("the fast client got everything", Duration.ofSeconds(20), () -> fast.events().size() >= total);

        List<Long> latencies = new ArrayList<>();
        for (SseTestClient.Frame f : fast.events()) {
          latencies.add(f.receivedAtMillis() - f.json().getJsonObject("data").getLong("sentAt"));
        }
        Collections.sort(latencies);
        long p99 = latencies.get((int) (latencies.size() * 0.99) - 1);
        // Generous on a shared 2-core machine: the point is that the stuck client does not stall the others.
        assertThat(p99).as("fast subscriber p99 latency (ms)").isLessThan(1000);
        assertThat(SseTestClient.ns(fast.events())).hasSize(total).isSorted();
      }
      // The stuck client's connection was closed by the server: draining it ends in EOF.
      slow.setSoTimeout(10_000);
      InputStream in = slow.getInputStream();
      byte[] buf = new byte[65536];
      int r;
      long read = 0;
      while ((r = in.read(buf)) >= 0) {
        read += r;
      }
      assertThat(read).isPositive();
      assertThat(node.ready(1)).as("the node is unharmed").isTrue();
    }
  }
}
