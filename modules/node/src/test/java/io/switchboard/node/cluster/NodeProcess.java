package io.switchboard.node.cluster;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A Switchboard node in a JVM process of its own, started from the test classpath, logging to a file. */
final class NodeProcess {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String name;
  final int httpPort;
  final int clusterPort;
  private final Map<String, String> env;
  private final Path logDir;
  private Process process;
  private int starts;

  NodeProcess(String name, int httpPort, int clusterPort, Map<String, String> env, Path logDir) {
    this.name = name;
    this.httpPort = httpPort;
    this.clusterPort = clusterPort;
    this.env = new HashMap<>(env);
    this.logDir = logDir;
  }

  /** Changes a setting for the next start. */
  void env(String key, String value) {
    env.put(key, value);
  }

  /** The port this node speaks OsmAnd on. */
  int osmandPort() {
    return Integer.parseInt(env.get("SB_OSMAND_PORT"));
  }

  /** Where this node serves /metrics (its management port). */
  String metricsUrl() {
    return "http://127.0.0.1:" + env.get("SB_METRICS_PORT") + "/metrics";
  }

  String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** The log of the current (or last) run. */
  Path logFile() {
    return logDir.resolve(name + (starts <= 1 ? "" : "-" + starts) + ".log");
  }

  void start() throws IOException {
    Files.createDirectories(logDir);
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "io.switchboard.node.Main"));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(logDir.resolve(name + (starts++ == 0 ? "" : "-" + starts)
            + ".log").toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("SB_"));
    pb.environment().putAll(env);
    process = pb.start();
  }

  /** The process id, for a test client that kills the node itself (-1 before it started). */
  long pid() {
    return process == null ? -1 : process.pid();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no goodbye to the cluster or to PostgreSQL. */
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM; returns the exit code, or -1 if it did not exit in time. */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return -1;
    }
    return process.exitValue();
  }

  JsonObject health() {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/health/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      JsonObject body = new JsonObject(r.body());
      return body.put("httpStatus", r.statusCode());
    } catch (Exception e) {
      return new JsonObject().put("httpStatus", 0).put("error", e.toString());
    }
  }

  boolean ready(int clusterSize) {
    JsonObject h = health();
    return h.getInteger("httpStatus") == 200 && h.getInteger("clusterSize", 1) >= clusterSize;
  }

  boolean relayLeader() {
    return health().getBoolean("relayLeader", false);
  }

  int streams() {
    return health().getInteger("streams", -1);
  }
}
