package io.switchboard.node.cluster;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis server of the test's own (the OS package's redis-server on a free port), so a test can stop and restart
 * it without touching the Redis other tests and developers use. With {@code persistent}, every write is fsynced
 * to an append-only file and survives a restart, as a production Redis holding a stream would.
 */
final class RedisServer implements AutoCloseable {

  private final int port;
  private final Path dir;
  private final boolean persistent;
  private Process process;

  RedisServer(boolean persistent) throws IOException {
    this.port = TestCluster.freePort();
    this.dir = Files.createTempDirectory("sb-redis");
    this.persistent = persistent;
    start();
  }

  int port() {
    return port;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  void start() throws IOException {
    List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--dir", dir.toString(), "--save", ""));
    if (persistent) {
      cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
    } else {
      cmd.addAll(List.of("--appendonly", "no"));
    }
    process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile())
        .start();
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    throw new IOException("redis-server did not start on " + port);
  }

  void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
      process.destroyForcibly();
    }
  }

  /** Runs redis-cli against this server; returns its output. */
  String cli(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(10, TimeUnit.SECONDS);
    return out.trim();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
