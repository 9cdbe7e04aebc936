package io.switchboard.node.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Prometheus (Debian's package, installed by deploy/test.sh) scraping a test cluster's management ports every
 * second, with its own port, data directory and log under target/cluster-logs. Queried through its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final int port;

  private PrometheusServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static PrometheusServer scraping(String testName, List<NodeProcess> nodes) throws Exception {
    Path dir = Path.of("target", "cluster-logs", testName, "prometheus").toAbsolutePath();
    Files.createDirectories(dir);
    // A former run's samples would still count as current for Prometheus's 5-minute lookback.
    deleteTree(dir.resolve("data"));
    String targets = nodes.stream().map(n -> "'" + URI.create(n.metricsUrl()).getAuthority() + "'")
        .collect(Collectors.joining(", "));
    Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: switchboard
            static_configs:
              - targets: [%s]
        """.formatted(targets));
    int port = TestCluster.freePort();
    String bin = Files.isExecutable(Path.of("/usr/bin/prometheus")) ? "/usr/bin/prometheus" : "prometheus";
    Process p = new ProcessBuilder(bin, "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
        "--storage.tsdb.retention.time=1h")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    PrometheusServer server = new PrometheusServer(p, port);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!server.ready()) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        server.close();
        throw new IllegalStateException("Prometheus did not start; see " + dir.resolve("prometheus.log"));
      }
      Thread.sleep(100);
    }
    return server;
  }

  private static void deleteTree(Path root) throws IOException {
    if (Files.exists(root)) {
      try (var paths = Files.walk(root)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private boolean ready() {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** An instant query's result vector ({@code data.result}); fails on anything but {@code status: success}. */
  JsonArray query(String promql) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonObject body = new JsonObject(r.body());
    if (!"success".equals(body.getString("status"))) {
      throw new AssertionError(promql + ": " + r.body());
    }
    return body.getJsonObject("data").getJsonArray("result");
  }

  /** The value of a query's only (or first) sample; NaN when there is none. */
  double value(String promql) throws Exception {
    JsonArray result = query(promql);
    return result.isEmpty() ? Double.NaN
        : Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
