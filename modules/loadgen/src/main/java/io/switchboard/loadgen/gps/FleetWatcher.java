package io.switchboard.loadgen.gps;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A dispatcher console's view: the fleet stream of the tenant, measuring for every driver entry the time from
 * its fix (stamped by the simulator just before posting) to the frame's arrival.
 */
final class FleetWatcher {

  private final Histogram latency = new Histogram(60_000L, 3);
  private final AtomicLong entries = new AtomicLong();
  private final AtomicLong frames = new AtomicLong();
  private volatile boolean recording;
  private volatile boolean connected;

  void open(Vertx vertx, URI node, String token) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(node.getHost()).setPort(node.getPort())
            .setURI("/api/v1/realtime/fleet/stream").putHeader("Authorization", "Bearer " + token))
        .compose(req -> req.send())
        .onSuccess(resp -> {
          if (resp.statusCode() != 200) {
            System.err.println("fleet stream answered " + resp.statusCode());
            return;
          }
          connected = true;
          // Frames are ASCII JSON (ids, numbers, ISO times): a chunk never splits a character that matters.
          // A fleet frame is hundreds of KB over many chunks: only the new chunk is scanned for line ends.
          StringBuilder pending = new StringBuilder();
          resp.handler(chunk -> {
            int scanFrom = pending.length();
            pending.append(chunk.toString());
            int start = 0;
            int nl;
            while ((nl = pending.indexOf("\n", Math.max(start, scanFrom))) >= 0) {
              line(pending.substring(start, nl));
              start = nl + 1;
            }
            pending.delete(0, start);
          });
        })
        .onFailure(err -> System.err.println("fleet stream: " + err.getMessage()));
  }

  private void line(String line) {
    if (!line.startsWith("data: ")) {
      return;
    }
    long now = System.currentTimeMillis();
    JsonObject json = new JsonObject(line.substring(6));
    if (!"fleet_update".equals(json.getString("type")) || !recording) {
      return;
    }
    frames.incrementAndGet();
    JsonArray drivers = json.getJsonArray("drivers");
    synchronized (latency) {
      for (int i = 0; i < drivers.size(); i++) {
        long fixedAt = Instant.parse(drivers.getJsonObject(i).getString("timestamp")).toEpochMilli();
        latency.recordValue(Math.max(0, Math.min(60_000, now - fixedAt)));
      }
    }
    entries.addAndGet(drivers.size());
  }

  boolean connected() {
    return connected;
  }

  void record(boolean on) {
    recording = on;
  }

  long entries() {
    return entries.get();
  }

  long frames() {
    return frames.get();
  }

  Histogram latency() {
    synchronized (latency) {
      return latency.copy();
    }
  }
}
