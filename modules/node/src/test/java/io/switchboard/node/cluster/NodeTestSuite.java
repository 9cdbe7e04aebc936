package io.switchboard.node.cluster;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A file of Node.js tests ({@code node --test}, src/test/js) run against a cluster the Java side started: the test
 * file reads the cluster's description (balancer, nodes, fixture, tokens) from the JSON file named by
 * {@code SB_TEST_CONFIG}. Its tests run one after another; the TAP-like spec report is the failure message.
 */
final class NodeTestSuite {

  record Result(int exitCode, String report) {}

  private NodeTestSuite() {}

  static Result run(String file, JsonObject config, Duration timeout) throws Exception {
    SeedClient.installPackages();
    Path conf = Files.createTempFile("sb-node-test", ".json");
    Path out = Files.createTempFile("sb-node-test", ".log");
    try {
      Files.writeString(conf, config.encodePrettily());
      ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-concurrency=1", "--test-reporter=spec", file)
          .directory(SeedClient.JS.toFile())
          .redirectErrorStream(true)
          .redirectOutput(out.toFile());
      pb.environment().put("SB_TEST_CONFIG", conf.toAbsolutePath().toString());
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return new Result(-1, "timed out after " + timeout + "\n" + Files.readString(out, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(conf);
      Files.deleteIfExists(out);
    }
  }
}
