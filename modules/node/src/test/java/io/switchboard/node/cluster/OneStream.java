package io.switchboard.node.cluster;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One SSE request, read to its end, never reconnected: for what a server does to one stream (end it, say why).
 * Frames are recorded as {@link SseTestClient.Frame}s.
 */
final class OneStream implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  final int status;
  final List<SseTestClient.Frame> frames = new CopyOnWriteArrayList<>();
  private final InputStream body;
  private volatile boolean ended;

  private OneStream(int status, InputStream body) {
    this.status = status;
    this.body = body;
    Thread.ofVirtual().start(this::read);
  }

  /** Opens {@code url} with these headers (name, value, ...). */
  static OneStream open(String url, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    return new OneStream(r.statusCode(), r.body());
  }

  /** The server ended the stream (or it broke). */
  boolean ended() {
    return ended;
  }

  List<SseTestClient.Frame> ofType(String type) {
    return frames.stream().filter(f -> type.equals(f.type())).toList();
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      String event = null;
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            frames.add(new SseTestClient.Frame(id, event, data.toString(), System.currentTimeMillis()));
          }
          id = null;
          event = null;
          data.setLength(0);
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
    } catch (Exception e) {
      // closed
    } finally {
      ended = true;
    }
  }

  @Override
  public void close() throws Exception {
    body.close();
  }
}
