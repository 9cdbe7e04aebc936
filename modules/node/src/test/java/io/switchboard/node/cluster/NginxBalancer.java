package io.switchboard.node.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx round-robin load balancer in front of a test cluster, configured as deploy/local/cluster.sh
 * configures it (no stickiness, no buffering). nginx comes from the OS packages; deploy/test.sh installs it.
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

  static NginxBalancer start(String testName, List<NodeProcess> nodes) throws IOException {
    int port = TestCluster.freePort();
    Path dir = Path.of("target", "cluster-logs", testName, "nginx").toAbsolutePath();
    Files.createDirectories(dir.resolve("tmp"));
    StringBuilder upstream = new StringBuilder();
    for (NodeProcess n : nodes) {
      upstream.append("    server 127.0.0.1:").append(n.httpPort).append(" max_fails=1 fail_timeout=2s;\n");
    }
    String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
    String conf = user + """
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections 4096; }
        http {
          access_log %1$s/access.log;
          client_body_temp_path %1$s/tmp/body;
          proxy_temp_path %1$s/tmp/proxy;
          fastcgi_temp_path %1$s/tmp/fastcgi;
          uwsgi_temp_path %1$s/tmp/uwsgi;
          scgi_temp_path %1$s/tmp/scgi;
          upstream switchboard {
        %2$s    keepalive 16;
          }
          server {
            listen 127.0.0.1:%3$d;
            location / {
              proxy_pass http://switchboard;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_buffering off;
              proxy_read_timeout 1h;
              proxy_next_upstream error timeout http_502 http_503;
              proxy_next_upstream_tries 3;
            }
          }
        }
        """.formatted(dir, upstream, port);
    Files.writeString(dir.resolve("nginx.conf"), conf);
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
