package io.switchboard.node.cluster;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real headless Chromium (the OS package, driven by playwright-core in {@code src/test/js/browser-driver.mjs}):
 * the test sends one command at a time and gets the page's answer. Failures of the page (a timeout, a missing
 * element) come back as AssertionErrors with the page's message.
 */
final class Browser implements AutoCloseable {

  private final Process process;
  private final Writer commands;
  private final BufferedReader answers;

  private Browser(Process process) {
    this.process = process;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  static Browser launch() throws Exception {
    SeedClient.installPackages();
    Process p = new ProcessBuilder("node", "browser-driver.mjs").directory(SeedClient.JS.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return new Browser(p);
  }

  void open(String url) throws IOException {
    send(new JsonObject().put("cmd", "open").put("url", url));
  }

  void click(String selector) throws IOException {
    send(new JsonObject().put("cmd", "click").put("selector", selector));
  }

  void clickAt(double x, double y) throws IOException {
    send(new JsonObject().put("cmd", "clickAt").put("x", x).put("y", y));
  }

  void fill(String selector, String value) throws IOException {
    send(new JsonObject().put("cmd", "fill").put("selector", selector).put("value", value));
  }

  String text(String selector) throws IOException {
    return (String) send(new JsonObject().put("cmd", "text").put("selector", selector));
  }

  /** A JavaScript expression evaluated in the page; JSON values come back as Vert.x JSON types. */
  Object eval(String expression) throws IOException {
    return send(new JsonObject().put("cmd", "eval").put("expression", expression));
  }

  /** Waits until the expression is truthy in the page, and answers its value; fails after {@code timeout}. */
  Object waitFor(String what, String expression, Duration timeout) throws IOException {
    try {
      return send(new JsonObject().put("cmd", "waitFor").put("expression", expression)
          .put("timeoutMs", timeout.toMillis()));
    } catch (AssertionError e) {
      throw new AssertionError("waiting for " + what + " (" + expression + "): " + e.getMessage(), e);
    }
  }

  /** Takes the browser's network away (true) or gives it back (false). */
  void offline(boolean offline) throws IOException {
    send(new JsonObject().put("cmd", "offline").put("offline", offline));
  }

  void screenshot(java.nio.file.Path path) throws IOException {
    java.nio.file.Files.createDirectories(path.toAbsolutePath().getParent());
    send(new JsonObject().put("cmd", "screenshot").put("path", path.toAbsolutePath().toString()));
  }

  /** Uncaught errors the page threw so far. */
  @SuppressWarnings("unchecked")
  List<Object> pageErrors() throws IOException {
    return ((io.vertx.core.json.JsonArray) send(new JsonObject().put("cmd", "errors"))).getList();
  }

  private synchronized Object send(JsonObject command) throws IOException {
    commands.write(command.encode() + "\n");
    commands.flush();
    String line = answers.readLine();
    if (line == null) {
      throw new AssertionError("the browser driver exited (see the test's stderr)");
    }
    JsonObject answer = new JsonObject(line);
    if (!answer.getBoolean("ok")) {
      throw new AssertionError(command.getString("cmd") + ": " + answer.getString("error"));
    }
    return answer.getValue("value");
  }

  @Override
  public void close() throws Exception {
    try {
      commands.write("{\"cmd\":\"close\"}\n");
      commands.flush();
    } catch (IOException e) {
      // already gone
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
