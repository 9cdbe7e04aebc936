package io.switchboard.loadgen.gps;

import io.switchboard.loadgen.ServerCpu;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N drivers moving along their routes and posting positions at a given total rate, over the JSON API (a batch
 * per request, or one position) or OsmAnd (one GET per position, as Traccar Client sends). Used by the local
 * cluster's demo (runs until killed) and by the GPS benchmark, which also watches the fleet stream and reports
 * accepted points/s, requests/s, 503s and the post → fleet-stream latency.
 *
 * <pre>
 * java -jar loadgen.jar --target gps --nodes http://127.0.0.1:8081 [--osmand http://127.0.0.1:5055]
 *      --mode batch|single|osmand --drivers 5000 --rate 30000 [--batch 10] --duration 30 [--warmup 5]
 *      --token SERVICE_JWT --tenant bench [--setup true] [--watch 1] [--connections 64] [--max-inflight 1024]
 *      [--server-pids 1,2] [--label text] [--json results.jsonl] [--center 52.52,13.405]
 * </pre>
 * {@code --duration 0} runs until the process is stopped (the demo). {@code --demo-runs N} also runs the demo
 * business ({@link DemoBusiness}): runs for the first N drivers, orders, stock alerts.
 */
public final class DriverSimulator {

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, String> opt;
  private final List<URI> nodes = new ArrayList<>();
  private final List<URI> osmand = new ArrayList<>();
  private final String mode;
  private final int drivers;
  private final double rate;
  private final int batch;
  private final String token;
  private final String tenant;
  private final Route[] routes;
  private final long[] lastFix;
  private final HttpClient http;
  private final int maxInflight;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong overloaded = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong inflight = new AtomicLong();
  private final Histogram requestLatency = new Histogram(60_000_000L, 3);
  private int nextDriver;
  private long sent;

  private DriverSimulator(Map<String, String> opt) {
    this.opt = opt;
    for (String n : opt.get("nodes").split(",")) {
      nodes.add(URI.create(n));
    }
    for (String n : opt.getOrDefault("osmand", "").split(",")) {
      if (!n.isBlank()) {
        osmand.add(URI.create(n));
      }
    }
    mode = opt.getOrDefault("mode", "batch");
    drivers = Integer.parseInt(opt.getOrDefault("drivers", "50"));
    rate = Double.parseDouble(opt.getOrDefault("rate", "25"));
    batch = mode.equals("batch") ? Integer.parseInt(opt.getOrDefault("batch", "10")) : 1;
    token = opt.get("token");
    tenant = opt.getOrDefault("tenant", "demo");
    maxInflight = Integer.parseInt(opt.getOrDefault("max-inflight", "1024"));
    String[] centre = opt.getOrDefault("center", "52.52,13.405").split(",");
    routes = new Route[drivers];
    for (int i = 0; i < drivers; i++) {
      routes[i] = Route.forDriver(i, Double.parseDouble(centre[0]), Double.parseDouble(centre[1]));
    }
    lastFix = new long[drivers];
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(Integer.parseInt(opt.getOrDefault("connections", "64")))
            .setMaxWaitQueueSize(-1));
  }

  public static void run(Map<String, String> opt) {
    try {
      new DriverSimulator(opt).go();
    } catch (Exception | Error e) {
      // Vert.x threads would keep the JVM (and a benchmark script waiting on it) alive.
      e.printStackTrace();
      System.exit(1);
    }
  }

  static String driverId(int i) {
    return "sim-" + i;
  }

  static String deviceKey(String tenant, int i) {
    return tenant + "-dev-" + i;
  }

  private void go() throws Exception {
    if (Boolean.parseBoolean(opt.getOrDefault("setup", "true"))) {
      // Creation is idempotent (409 for what exists): a setup that stalls is started again. A stall — one
      // answer that never came, without any request timing out — was seen here and is not understood yet.
      for (int attempt = 1; ; attempt++) {
        try {
          new SimSetup(vertx, http, nodes.getFirst(), token, tenant).create(drivers, mode.equals("osmand"));
          break;
        } catch (java.util.concurrent.TimeoutException e) {
          if (attempt == 3) {
            throw e;
          }
          System.err.println("[gps] setup stalled (attempt " + attempt + "); starting it again");
        }
      }
      System.err.printf("[gps] %d drivers%s ready in tenant %s%n", drivers,
          mode.equals("osmand") ? " and devices" : "", tenant);
    }
    int demoRuns = Integer.parseInt(opt.getOrDefault("demo-runs", "0"));
    if (demoRuns > 0) {
      new DemoBusiness(nodes.getFirst(), token, tenant, routes, demoRuns).start();
    }
    int watchers = Integer.parseInt(opt.getOrDefault("watch", "0"));
    List<FleetWatcher> watching = new ArrayList<>();
    for (int w = 0; w < watchers; w++) {
      FleetWatcher fw = new FleetWatcher();
      // Its own event loop: the posting client's busy loop must not delay (and so inflate) what it measures.
      fw.open(Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1)), nodes.get(w % nodes.size()),
          token);
      watching.add(fw);
    }
    int duration = Integer.parseInt(opt.getOrDefault("duration", "30"));
    int warmup = Integer.parseInt(opt.getOrDefault("warmup", "5"));
    double requestRate = rate / batch;
    long startNanos = System.nanoTime();
    vertx.setPeriodic(5, t -> pace(requestRate, startNanos));
    if (duration == 0) {
      new CountDownLatch(1).await(); // the demo: until the process is stopped
    }
    Thread.sleep(warmup * 1000L);
    List<Long> servers = ServerCpu.pids(opt.getOrDefault("server-pids", ""));
    long accepted0 = accepted.get();
    long requests0 = requests.get();
    long overloaded0 = overloaded.get();
    long errors0 = errors.get();
    synchronized (requestLatency) {
      requestLatency.reset();
    }
    watching.forEach(w -> w.record(true));
    ServerCpu cpu0 = ServerCpu.sample(servers);
    long written0 = written();
    long t0 = System.nanoTime();
    long windowStart = System.currentTimeMillis();
    Thread.sleep(duration * 1000L);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long windowEnd = System.currentTimeMillis();
    long writtenN = written() - written0;
    ServerCpu cpu = ServerCpu.sample(servers).minus(cpu0);
    long acceptedN = accepted.get() - accepted0;
    long requestsN = requests.get() - requests0;
    Thread.sleep(1_500); // the last intervals reach the watchers
    watching.forEach(w -> w.record(false));
    Histogram fleet = new Histogram(60_000L, 3);
    long fleetEntries = 0;
    long fleetFrames = 0;
    for (FleetWatcher w : watching) {
      fleet.add(w.latency());
      fleetEntries += w.entries();
      fleetFrames += w.frames();
    }
    Histogram req;
    synchronized (requestLatency) {
      req = requestLatency.copy();
    }
    JsonObject result = new JsonObject()
        .put("label", opt.getOrDefault("label", "gps-" + mode)).put("mode", mode).put("drivers", drivers)
        .put("offeredPointsPerSec", rate).put("batch", batch).put("durationSeconds", duration)
        .put("acceptedTotal", accepted.get())
        .put("windowStartMs", windowStart).put("windowEndMs", windowEnd)
        .put("acceptedPointsPerSec", round(acceptedN / seconds))
        // Rows the node committed to PostgreSQL in the window (its own counter, /health/ready ingest.written).
        .put("persistedPointsPerSec", written0 < 0 ? null : round(writtenN / seconds))
        .put("requestsPerSec", round(requestsN / seconds))
        .put("overloaded503", overloaded.get() - overloaded0).put("errors", errors.get() - errors0)
        .put("requestP50ms", round(req.getValueAtPercentile(50) / 1000.0))
        .put("requestP99ms", round(req.getValueAtPercentile(99) / 1000.0))
        .put("fleetFrames", fleetFrames).put("fleetEntries", fleetEntries)
        .put("fleetP50ms", fleet.getTotalCount() == 0 ? null : fleet.getValueAtPercentile(50))
        .put("fleetP99ms", fleet.getTotalCount() == 0 ? null : fleet.getValueAtPercentile(99))
        .put("fleetMaxMs", fleet.getTotalCount() == 0 ? null : fleet.getMaxValue())
        .put("nodeCpuUsPerPoint", acceptedN == 0 ? 0 : round((cpu.userMicros() + cpu.systemMicros()) / acceptedN))
        .put("nodeCpuCores", round((cpu.userMicros() + cpu.systemMicros()) / 1e6 / seconds));
    System.out.println(result.encode());
    if (opt.containsKey("json")) {
      Files.writeString(Path.of(opt.get("json")), result.encode() + "\n", StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    System.exit(0); // without closing Vert.x first: requests still in flight would only log "client is closed"
  }

  /** Positions the first node has committed to PostgreSQL so far, or -1 when it cannot say. */
  private long written() {
    URI node = nodes.getFirst();
    try {
      return http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(node.getHost())
              .setPort(node.getPort()).setURI("/health/ready"))
          .compose(req -> req.send()).compose(resp -> resp.body())
          .map(b -> new JsonObject(b).getJsonObject("ingest").getLong("written"))
          .toCompletionStage().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      return -1;
    }
  }

  /** Sends what is due by now at {@code requestRate}, keeping at most {@code maxInflight} requests open. */
  private void pace(double requestRate, long startNanos) {
    long due = (long) ((System.nanoTime() - startNanos) / 1e9 * requestRate);
    while (sent < due && inflight.get() < maxInflight) {
      sent++;
      int d = nextDriver;
      nextDriver = (nextDriver + 1) % drivers;
      send(d);
    }
    if (sent < due - requestRate) {
      sent = due - (long) requestRate; // more than a second behind: do not burst to catch up
    }
  }

  private void send(int d) {
    inflight.incrementAndGet();
    long t0 = System.nanoTime();
    Future<Integer> done = switch (mode) {
      case "osmand" -> osmand(d);
      case "single" -> json(d, "/location", at -> point(d, at).encode(), 1);
      default -> json(d, "/locations", at -> points(d, at).encode(), batch);
    };
    done.onComplete(ar -> {
      inflight.decrementAndGet();
      requests.incrementAndGet();
      synchronized (requestLatency) {
        requestLatency.recordValue(Math.min(60_000_000L, (System.nanoTime() - t0) / 1000));
      }
      if (ar.failed()) {
        errors.incrementAndGet();
      } else if (ar.result() == 503) {
        overloaded.incrementAndGet();
      } else if (ar.result() < 0) {
        errors.incrementAndGet();
      }
    });
  }

  private JsonObject point(int d, long at) {
    double[] p = routes[d].at(at);
    lastFix[d] = at;
    return new JsonObject().put("latitude", p[0]).put("longitude", p[1]).put("heading", Math.round(p[2]))
        .put("speed", p[3]).put("accuracy", 6).put("timestamp", Instant.ofEpochMilli(at).toString());
  }

  /** The positions since the driver's last post, evenly spaced, the newest stamped now. */
  private JsonArray points(int d, long now) {
    long since = lastFix[d] == 0 ? now - 1000 : lastFix[d];
    long step = Math.max(1, (now - since) / batch);
    JsonArray out = new JsonArray();
    for (int i = batch - 1; i >= 0; i--) {
      out.add(point(d, now - i * step));
    }
    return out;
  }

  /**
   * The fix is stamped when a connection is ready to carry it, so the fleet latency counts from the post, not
   * from a wait in this client's own connection pool.
   */
  private Future<Integer> json(int d, String suffix, java.util.function.LongFunction<String> body, int points) {
    URI node = nodes.get(d % nodes.size());
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(node.getHost())
            .setPort(node.getPort()).setURI("/api/v1/drivers/" + driverId(d) + suffix).setConnectTimeout(30_000).setIdleTimeout(30_000)
            .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json"))
        .compose(req -> req.send(Buffer.buffer(body.apply(System.currentTimeMillis()))))
        .compose(resp -> resp.body().map(b -> {
          int status = resp.statusCode();
          if (status == 200) {
            accepted.addAndGet(new JsonObject(b).getInteger("accepted"));
          } else if (status == 202) {
            accepted.addAndGet(points);
          } else if (status != 503 && status != 422) {
            return -status;
          }
          return status;
        }));
  }

  private Future<Integer> osmand(int d) {
    URI target = osmand.get(d % osmand.size());
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(target.getHost())
            .setPort(target.getPort()).setURI("/").setConnectTimeout(30_000).setIdleTimeout(30_000))
        .compose(req -> {
          long at = System.currentTimeMillis();
          double[] p = routes[d].at(at);
          lastFix[d] = at;
          return req.setURI("/?id=" + deviceKey(tenant, d) + "&lat=" + p[0] + "&lon=" + p[1] + "&timestamp=" + at
              + "&speed=" + round(p[3] / 1.852) + "&bearing=" + Math.round(p[2]) + "&accuracy=6").send();
        })
        .compose(resp -> resp.body().map(b -> {
          int status = resp.statusCode();
          if (status == 200) {
            accepted.incrementAndGet();
          } else if (status != 503) {
            return -status;
          }
          return status;
        }));
  }


  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
