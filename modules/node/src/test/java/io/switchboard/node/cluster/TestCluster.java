package io.switchboard.node.cluster;

import io.switchboard.core.auth.TokenMinter;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.testing.Await;
import io.switchboard.core.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real cluster for one test: its own database, N node processes on free ports that list each other as
 * Hazelcast members, and tokens to publish and subscribe with. Closing it kills the nodes and drops the database.
 */
final class TestCluster implements AutoCloseable {

  static final String SECRET = "cluster-test-secret-0123456789-abcdefghij";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final TestDatabase db;
  final List<NodeProcess> nodes = new ArrayList<>();
  final String serviceToken;
  final String customerToken;
  /** A dispatcher of tenant t1: may subscribe to every channel of t1, such as tenant:t1:anything. */
  final String dispatcherToken;

  private TestCluster(TestDatabase db) {
    this.db = db;
    Vertx vertx = Vertx.vertx();
    try {
      TokenMinter minter = new TokenMinter(vertx,
          new SwitchboardConfig.Auth(SECRET, "", Duration.ofSeconds(30)));
      serviceToken = minter.mint("publisher", "service", "t1", Duration.ofHours(1));
      customerToken = minter.mint("customer-1", "customer", "t1", Duration.ofHours(1));
      dispatcherToken = minter.mint("dispatcher-1", "dispatcher", "t1", Duration.ofHours(1));
    } finally {
      Await.result(vertx.close());
    }
  }

  /** A token of any role and tenant, signed with the cluster's secret. */
  static String token(String subject, String role, String tenant) {
    return token(subject, role, tenant, new JsonObject());
  }

  static String token(String subject, String role, String tenant, JsonObject extraClaims) {
    return token(subject, role, tenant, extraClaims, Duration.ofHours(1));
  }

  /** A token that expires after {@code validFor}. */
  static String token(String subject, String role, String tenant, JsonObject extraClaims, Duration validFor) {
    Vertx vertx = Vertx.vertx();
    try {
      return new TokenMinter(vertx, new SwitchboardConfig.Auth(SECRET, "", Duration.ofSeconds(30)))
          .mint(subject, role, tenant, validFor, extraClaims);
    } finally {
      Await.result(vertx.close());
    }
  }

  /** The nodes as the Node.js test files read them: {@code [{id, url, pid}]}. */
  JsonArray nodesJson() {
    JsonArray out = new JsonArray();
    for (NodeProcess n : nodes) {
      out.add(new JsonObject().put("id", n.name).put("url", n.url()).put("pid", n.pid()));
    }
    return out;
  }

  static TestCluster start(String testName, int size, Map<String, String> extraEnv) throws Exception {
    TestCluster cluster = new TestCluster(TestDatabase.create());
    try {
      cluster.launch(testName, size, extraEnv, size);
      cluster.awaitReady(size, Duration.ofSeconds(60));
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** Prepares {@code size} nodes on {@code db} but starts only the first {@code started}; nothing is awaited. */
  static TestCluster launch(String testName, TestDatabase db, int size, int started, Map<String, String> extraEnv)
      throws Exception {
    TestCluster cluster = new TestCluster(db);
    cluster.launch(testName, size, extraEnv, started);
    return cluster;
  }

  private void launch(String testName, int size, Map<String, String> extraEnv, int started) throws IOException {
    List<int[]> ports = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ports.add(new int[] {freePort(), freePort()});
    }
    String members = ports.stream().map(p -> "127.0.0.1:" + p[1]).collect(Collectors.joining(","));
    Path logs = Path.of("target", "cluster-logs", testName);
    for (int i = 0; i < size; i++) {
      Map<String, String> env = new HashMap<>();
      env.put("SB_NODE_ID", "node-" + (i + 1));
      env.put("SB_HTTP_PORT", String.valueOf(ports.get(i)[0]));
      env.put("SB_HTTP_HOST", "127.0.0.1");
      env.put("SB_CLUSTER_PORT", String.valueOf(ports.get(i)[1]));
      env.put("SB_CLUSTER_MEMBERS", members);
      env.put("SB_CLUSTER_NAME", "test-" + db.name());
      env.putAll(db.env());
      env.put("SB_JWT_SECRET", SECRET);
      env.put("SB_EVENT_LOOPS", "2");
      env.put("SB_PG_POOL_SIZE", "4");
      env.put("SB_SSE_RETRY", "100ms");
      env.put("SB_OSMAND_PORT", String.valueOf(freePort()));
      env.put("SB_METRICS_PORT", String.valueOf(freePort()));
      env.put("SB_REDIS_KEY_PREFIX", redisPrefix());
      // The bridge's Redis names too: no test reads another's stream or channels.
      env.put("SB_BRIDGE_CHANNELS", redisPrefix() + "publish");
      env.put("SB_BRIDGE_STREAM", redisPrefix() + "events:in");
      env.put("SB_BRIDGE_DEAD_LETTER", redisPrefix() + "dead-letter");
      env.put("SB_BRIDGE_OUT_PREFIX", redisPrefix() + "out:");
      // Every client of a test comes from 127.0.0.1: the per-address and per-subject rates would stop a test that
      // opens a hundred streams. The test of those limits sets them.
      env.put("SB_STREAM_OPEN_RATE", "0");
      env.put("SB_TICKET_RATE", "0");
      env.putAll(extraEnv);
      NodeProcess node = new NodeProcess("node-" + (i + 1), ports.get(i)[0], ports.get(i)[1], env, logs);
      nodes.add(node);
      if (i < started) {
        node.start();
      }
    }
  }

  void awaitReady(int clusterSize, Duration timeout) {
    for (NodeProcess n : nodes) {
      if (n.alive()) {
        Await.until(n.name + " is ready in a cluster of " + clusterSize + " (last health: " + ")", timeout,
            () -> n.ready(clusterSize));
      }
    }
  }

  NodeProcess node(int index) {
    return nodes.get(index);
  }

  List<String> urls() {
    return nodes.stream().map(NodeProcess::url).toList();
  }

  NodeProcess byUrl(String url) {
    return nodes.stream().filter(n -> n.url().equals(url)).findFirst().orElseThrow();
  }

  /** Publishes through {@code node}; returns the HTTP status and body. */
  HttpResponse<String> publish(NodeProcess node, String channel, String type, JsonObject data) throws Exception {
    String body = new JsonObject().put("channels", List.of(channel)).put("type", type).put("data", data).encode();
    return HTTP.send(HttpRequest.newBuilder(URI.create(node.url() + "/api/v1/events"))
            .header("Authorization", "Bearer " + serviceToken)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> send(HttpRequest request) throws Exception {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    for (NodeProcess n : nodes) {
      try {
        n.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    db.close();
    RedisKeys.deleteWithPrefix(redisPrefix());
  }

  /** Every Redis key of this cluster starts with this, so tests never see each other's (or a developer's) state. */
  String redisPrefix() {
    return "sbtest:" + db.name() + ":";
  }

  /**
   * A free port below the kernel's ephemeral range (32768 and up here): an ephemeral port found free can be taken
   * as the local port of any outgoing connection (a pool's, Hazelcast's) before the node binds it.
   */
  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static int freePort() throws IOException {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = random.nextInt(20_000, 32_000);
      // Never the same port twice in one run: a port found free is not bound until its node starts, so two picks
      // for one cluster could coincide (Hazelcast "Port ... is already in use", about one suite in ten).
      if (!HANDED_OUT.add(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port between 20000 and 32000");
  }
}
