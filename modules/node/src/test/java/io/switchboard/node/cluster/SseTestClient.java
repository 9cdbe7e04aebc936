package io.switchboard.node.cluster;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SSE client that behaves like a browser's EventSource behind a round-robin load balancer: on every
 * (re)connect it goes to the next node in the list and sends the last id it saw as {@code Last-Event-ID}.
 */
final class SseTestClient implements AutoCloseable {

  record Frame(String id, String event, String data, long receivedAtMillis) {
    JsonObject json() {
      return new JsonObject(data);
    }

    String type() {
      return json().getString("type");
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<String> urls;
  private final String query;
  private final String token;
  final List<Frame> frames = new CopyOnWriteArrayList<>();
  final List<Integer> statuses = new CopyOnWriteArrayList<>();
  final AtomicInteger connections = new AtomicInteger();
  private volatile String lastEventId;
  private volatile String currentUrl;
  private volatile InputStream currentBody;
  private volatile boolean closed;
  private int next;
  private final Thread thread;

  SseTestClient(List<String> urls, String query, String token, String lastEventId) {
    this.urls = urls;
    this.query = query;
    this.token = token;
    this.lastEventId = lastEventId;
    this.thread = Thread.ofVirtual().start(this::run);
  }

  String currentUrl() {
    return currentUrl;
  }

  List<Frame> events() {
    return frames.stream().filter(f -> !"connected".equals(f.type())).toList();
  }

  List<Long> eventIds() {
    return events().stream().map(f -> Long.parseLong(f.id())).toList();
  }

  private void run() {
    while (!closed) {
      String url = urls.get(next++ % urls.size());
      try {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + (query.startsWith("/") ? query : "/api/v1/realtime/stream?" + query)))
            .header("Authorization", "Bearer " + token);
        if (lastEventId != null) {
          req.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        statuses.add(resp.statusCode());
        if (resp.statusCode() != 200) {
          resp.body().close();
        } else {
          currentUrl = url;
          currentBody = resp.body();
          connections.incrementAndGet();
          read(resp.body());
        }
      } catch (Exception e) {
        // connection refused or dropped: like EventSource, try again (the next node) shortly
      }
      currentUrl = null;
      sleep(100);
    }
  }

  private void read(InputStream body) throws Exception {
    BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    String id = null;
    String event = null;
    StringBuilder data = new StringBuilder();
    String line;
    while (!closed && (line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        if (data.length() > 0) {
          if (id != null) {
            lastEventId = id;
          }
          frames.add(new Frame(id, event, data.toString(), System.currentTimeMillis()));
        }
        id = null;
        event = null;
        data.setLength(0);
      } else if (line.startsWith("id:")) {
        id = line.substring(3).trim();
      } else if (line.startsWith("event:")) {
        event = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        if (data.length() > 0) {
          data.append('\n');
        }
        data.append(line.substring(5).trim());
      }
    }
  }

  /** Drops the current connection, as a network blip would; the client reconnects to the next node. */
  void dropConnection() throws Exception {
    InputStream body = currentBody;
    if (body != null) {
      body.close();
    }
  }

  @Override
  public void close() throws Exception {
    closed = true;
    dropConnection();
    thread.join(2000);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static List<Integer> ns(List<Frame> frames) {
    List<Integer> out = new ArrayList<>();
    for (Frame f : frames) {
      out.add(f.json().getJsonObject("data").getInteger("n"));
    }
    return out;
  }
}
