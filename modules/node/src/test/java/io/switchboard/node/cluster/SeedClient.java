package io.switchboard.node.cluster;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A page of a seed document, played by a client nobody here wrote: the npm {@code eventsource} package, run by
 * Node.js from {@code src/test/js/seed-client.js}. Every event the page would see is recorded with the handler
 * that saw it ({@code message} for onmessage, else the addEventListener name).
 */
final class SeedClient implements AutoCloseable {

  static final Path JS = Path.of("src", "test", "js");

  record Seen(String via, String lastEventId, JsonObject data) {}

  private final Process process;
  private final List<JsonObject> lines = new CopyOnWriteArrayList<>();

  private SeedClient(Process process) {
    this.process = process;
    Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(new JsonObject(line));
        }
      } catch (IOException e) {
        // the process ended
      }
    });
  }

  /** Opens {@code url} with the token (null for none), listening with onmessage and for {@code names}. */
  static SeedClient open(String url, String token, String... names) throws Exception {
    return run("seed-client.js", url, token, names);
  }

  /**
   * The shop seed's own fetch + ReadableStream reader (src/test/js/fetch-reader.js): every {@code data:} line it
   * reads is an event, seen {@code via} "message".
   */
  static SeedClient fetchReader(String url, String token) throws Exception {
    return run("fetch-reader.js", url, token);
  }

  private static SeedClient run(String script, String url, String token, String... names) throws Exception {
    installPackages();
    List<String> cmd = new ArrayList<>(List.of("node", script, url, token == null ? "-" : token));
    cmd.addAll(List.of(names));
    Process p = new ProcessBuilder(cmd).directory(JS.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    SeedClient client = new SeedClient(p);
    client.awaitOpen();
    return client;
  }

  /** The npm packages (eventsource, socket.io-client, playwright-core) come from the lock file; once per checkout. */
  static synchronized void installPackages() throws Exception {
    if (Files.isDirectory(JS.resolve("node_modules").resolve("eventsource"))
        && Files.isDirectory(JS.resolve("node_modules").resolve("playwright-core"))
        && Files.isDirectory(JS.resolve("node_modules").resolve("socket.io-client"))) {
      return;
    }
    Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(JS.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!npm.waitFor(180, TimeUnit.SECONDS) || npm.exitValue() != 0) {
      throw new IllegalStateException("npm ci failed in " + JS.toAbsolutePath());
    }
  }

  private void awaitOpen() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (lines.stream().anyMatch(l -> "open".equals(l.getString("kind")))) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("the eventsource client exited: " + lines);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the eventsource client did not open: " + lines);
  }

  /** Events seen so far, in order. */
  List<Seen> seen() {
    List<Seen> out = new ArrayList<>();
    for (JsonObject l : lines) {
      if ("event".equals(l.getString("kind"))) {
        out.add(new Seen(l.getString("via", "message"), l.getString("lastEventId"), l.getJsonObject("data")));
      }
    }
    return out;
  }

  /** The events seen by one handler, waiting until at least {@code count} arrived. */
  List<Seen> await(String via, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      List<Seen> got = seen().stream().filter(s -> s.via().equals(via)).toList();
      if (got.size() >= count || System.nanoTime() > deadline) {
        return got;
      }
      Thread.sleep(20);
    }
  }

  int errors() {
    return (int) lines.stream().filter(l -> "error".equals(l.getString("kind"))).count();
  }

  /**
   * The client gave up (readyState CLOSED after an error): what a spec-following EventSource does on any answer
   * but 200 text/event-stream, such as a balancer's 502.
   */
  boolean closedForGood() {
    return lines.stream().anyMatch(l -> "error".equals(l.getString("kind")) && l.getInteger("readyState", 0) == 2);
  }

  @Override
  public void close() {
    process.destroy();
  }
}
