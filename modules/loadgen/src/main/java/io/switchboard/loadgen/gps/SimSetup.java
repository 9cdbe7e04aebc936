package io.switchboard.loadgen.gps;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Creates the simulation's tenant, drivers and (for OsmAnd) their devices through the API; existing ones are kept. */
final class SimSetup {

  private final HttpClient http;
  private final URI node;
  private final String token;
  private final String tenant;
  private final io.vertx.core.Context context;

  SimSetup(io.vertx.core.Vertx vertx, HttpClient http, URI node, String token, String tenant) {
    this.context = vertx.getOrCreateContext();
    this.http = http;
    this.node = node;
    this.token = token;
    this.tenant = tenant;
  }

  void create(int drivers, boolean devices) throws Exception {
    post("/api/v1/tenants", new JsonObject().put("id", tenant).put("name", "Simulated " + tenant))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    int parallel = 32;
    for (int from = 0; from < drivers; from += parallel) {
      // Waited for one by one as CompletableFutures: the requests complete on several event loops at once.
      // Issued from one event loop, not from this (main) thread: requests started from a foreign thread stalled
      // now and then (an answer never delivered, no timeout firing) with vertx-core 5.0.10's client pool.
      List<java.util.concurrent.CompletableFuture<Integer>> wave = new ArrayList<>();
      int first = from;
      java.util.concurrent.CompletableFuture<Void> issued = new java.util.concurrent.CompletableFuture<>();
      context.runOnContext(v -> {
        for (int i = first; i < Math.min(drivers, first + parallel); i++) {
          int d = i;
          wave.add(post("/api/v1/drivers", new JsonObject().put("id", DriverSimulator.driverId(d))
                  .put("tenantId", tenant).put("name", "Driver " + d))
              .compose(s -> devices ? post("/api/v1/devices", new JsonObject()
                  .put("deviceId", DriverSimulator.deviceKey(tenant, d)).put("driverId", DriverSimulator.driverId(d)))
                  : Future.succeededFuture(s))
              .toCompletionStage().toCompletableFuture());
        }
        issued.complete(null);
      });
      issued.get(10, TimeUnit.SECONDS);
      for (java.util.concurrent.CompletableFuture<Integer> one : wave) {
        one.get(60, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * 2xx and 409 (already there) are fine; anything else stops the simulation with the server's answer. A request
   * without an answer in 10 s is tried again (and reported: a server must answer every request).
   */
  private Future<Integer> post(String path, JsonObject body) {
    return attempt(path, body).recover(err -> {
      if (err instanceof IllegalStateException) {
        return Future.failedFuture(err);
      }
      System.err.println("[gps] POST " + path + " " + body.getString("id", body.getString("deviceId")) + ": "
          + err + "; trying again");
      return attempt(path, body).recover(again -> attempt(path, body));
    });
  }

  private Future<Integer> attempt(String path, JsonObject body) {
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(node.getHost()).setPort(node.getPort())
            .setURI(path).setConnectTimeout(10_000).setIdleTimeout(10_000)
            .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json"))
        .compose(req -> req.send(Buffer.buffer(body.encode())))
        .compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() >= 300 && resp.statusCode() != 409) {
            throw new IllegalStateException("POST " + path + " answered " + resp.statusCode() + ": " + b);
          }
          return resp.statusCode();
        }));
  }
}
