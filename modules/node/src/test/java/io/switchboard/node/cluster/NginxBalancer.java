package io.switchboard.node.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx round-robin load balancer in front of a test cluster, with the configuration the project ships
 * (deploy/nginx/switchboard.conf.template, which deploy/local/cluster.sh renders too). nginx comes from the OS
 * packages; deploy/test.sh installs it.
 */
final class NginxBalancer implements AutoCloseable {

  final int port;
  private final Process process;

  private NginxBalancer(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The configuration the project ships, deploy/nginx/switchboard.conf.template, rendered for these nodes. */
  static final Path TEMPLATE = Path.of("..", "..", "deploy", "nginx", "switchboard.conf.template");

  static NginxBalancer start(String testName, List<NodeProcess> nodes) throws IOException {
    return start(testName, nodes, conf -> conf);
  }

  /**
   * A balancer that holds streams back, as many proxies do: it buffers whatever the upstream asks (X-Accel-Buffering
   * ignored) and compresses event streams, and compression keeps a stream's frames until its buffer fills (buffering
   * alone does not: nginx still passes each chunk on as it comes). Complete responses (a poll's JSON) go through.
   */
  static String buffering(String conf) {
    return conf.replace("proxy_buffering off;", "proxy_buffering on;\n      proxy_ignore_headers X-Accel-Buffering;\n"
        + "      gzip on; gzip_types text/event-stream application/json; gzip_min_length 0;");
  }

  /** The shipped configuration, changed by {@code edit} (see {@link #buffering}). */
  static NginxBalancer start(String testName, List<NodeProcess> nodes, java.util.function.UnaryOperator<String> edit)
      throws IOException {
    int port = TestCluster.freePort();
    Path dir = Path.of("target", "cluster-logs", testName, "nginx").toAbsolutePath();
    Files.createDirectories(dir.resolve("tmp"));
    StringBuilder http = new StringBuilder();
    StringBuilder osmand = new StringBuilder();
    for (NodeProcess n : nodes) {
      http.append("    server 127.0.0.1:").append(n.httpPort).append(" max_fails=0;\n");
      osmand.append("    server 127.0.0.1:").append(n.osmandPort()).append(" max_fails=0;\n");
    }
    String conf = Files.readString(TEMPLATE)
        .replace("@@USER@@", "root".equals(System.getProperty("user.name")) ? "user root;" : "")
        .replace("@@STATE@@", dir.toString())
        .replace("@@LOGS@@", dir.toString())
        .replace("@@LISTEN@@", "127.0.0.1")
        .replace("@@HTTP_PORT@@", String.valueOf(port))
        .replace("@@OSMAND_PORT@@", String.valueOf(TestCluster.freePort()))
        .replace("@@HTTP_SERVERS@@", http.toString().stripTrailing())
        .replace("@@OSMAND_SERVERS@@", osmand.toString().stripTrailing());
    Files.writeString(dir.resolve("nginx.conf"), edit.apply(conf));
    String nginx = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
    Process p = new ProcessBuilder(nginx, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
        "-g", "daemon off;")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile())
        .start();
    NginxBalancer lb = new NginxBalancer(port, p);
    io.switchboard.core.testing.Await.until("nginx listens on " + port, java.time.Duration.ofSeconds(10), () -> {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return true;
      } catch (IOException e) {
        if (!p.isAlive()) {
          throw new IllegalStateException("nginx exited; see " + dir.resolve("stdout.log"));
        }
        return false;
      }
    });
    return lb;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
