package io.switchboard.loadgen;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark coordinator: N SSE subscribers in C channels, spread over the nodes and over several client
 * processes, and a publisher at R events/s through all nodes. Reports delivered/expected, latency p50/p99/max
 * (HdrHistogram, publish to receive) and the servers' CPU time per delivery, user and system apart.
 *
 * <pre>
 * java -jar loadgen.jar --target switchboard|bridge|orders|nchan|node --nodes http://127.0.0.1:8081,... --subscribers 3000 --channels 30
 *      --rate 300 --duration 30 --warmup 5 --procs 3 --token JWT --server-pids 11,12,13 [--padding 0]
 *      [--label text] [--json results.jsonl] [--on-connected "shell command run once all are connected"]
 *      [--client-script deploy/bench/socketio-client/subscriber.mjs]
 * </pre>
 * {@code --target socketio|node_socketio} subscribes over Socket.IO (WebSocket, one room per subscriber), with the
 * load client's own Java subscribers or, with {@code --client-script}, an independent client's processes.
 * {@code --client-script deploy/bench/sse-client/subscriber.mjs} is the independent client of the SSE targets.
 * {@code --target bridge [--redis redis://127.0.0.1:6379] [--stream switchboard:events:in]} publishes by XADD to
 * the Redis bridge's inbound stream. {@code --target gps} runs the driver simulator instead ({@link io.switchboard.loadgen.gps.DriverSimulator}).
 */
public final class LoadGen {

  private LoadGen() {}

  /** For {@code --target bridge}: where the bridge's inbound stream is. */
  private static String redisUri = "redis://127.0.0.1:6379";
  private static String stream = "switchboard:events:in";

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = parse(args);
    if ("gps".equalsIgnoreCase(opt.get("target"))) {
      io.switchboard.loadgen.gps.DriverSimulator.run(opt);
      return;
    }
    Target target = Target.valueOf(opt.getOrDefault("target", "switchboard").toUpperCase());
    redisUri = opt.getOrDefault("redis", redisUri);
    stream = opt.getOrDefault("stream", stream);
    String nodesArg = required(opt, "nodes");
    List<URI> nodes = new ArrayList<>();
    for (String n : nodesArg.split(",")) {
      nodes.add(URI.create(n));
    }
    int subscribers = Integer.parseInt(opt.getOrDefault("subscribers", "3000"));
    int channels = Integer.parseInt(opt.getOrDefault("channels", "30"));
    double rate = Double.parseDouble(opt.getOrDefault("rate", "300"));
    int duration = Integer.parseInt(opt.getOrDefault("duration", "30"));
    int warmup = Integer.parseInt(opt.getOrDefault("warmup", "5"));
    int procs = Integer.parseInt(opt.getOrDefault("procs", String.valueOf(Math.max(1, (subscribers + 9999) / 10000))));
    int padding = Integer.parseInt(opt.getOrDefault("padding", "0"));
    String token = opt.getOrDefault("token", "-");
    List<Long> serverPids = ServerCpu.pids(opt.getOrDefault("server-pids", ""));
    List<Long> storePids = ServerCpu.pids(opt.getOrDefault("store-pids", ""));
    String label = opt.getOrDefault("label", target.name().toLowerCase());

    if (target == Target.ORDERS) {
      OrderFixture.create(nodes.get(0), token, channels);
    }

    // 1. subscribers
    List<Process> clients = new ArrayList<>();
    List<BufferedReader> outs = new ArrayList<>();
    List<PrintWriter> ins = new ArrayList<>();
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    int perProc = subscribers / procs;
    for (int p = 0; p < procs; p++) {
      int count = p == procs - 1 ? subscribers - perProc * (procs - 1) : perProc;
      // The last argument tells an independent client (which does not know our targets) where a channel is.
      List<String> procArgs = List.of(target.name(), nodesArg, String.valueOf(channels), String.valueOf(count),
          String.valueOf(p * perProc), token, target.subscribePath("{channel}"));
      List<String> cmd = new ArrayList<>();
      if (opt.containsKey("client-script")) {
        // An independent client speaking the same protocol (deploy/bench/socketio-client: socket.io-client;
        // deploy/bench/sse-client: Node.js's http client reading streams as EventSource does).
        cmd.addAll(List.of("node", opt.get("client-script")));
      } else {
        cmd.addAll(List.of(javaBin, "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
            SubscriberProcess.class.getName()));
      }
      cmd.addAll(procArgs);
      Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      clients.add(proc);
      outs.add(new BufferedReader(new InputStreamReader(proc.getInputStream())));
      ins.add(new PrintWriter(proc.getOutputStream(), true));
    }
    int connected = 0;
    int connectErrors = 0;
    for (BufferedReader out : outs) {
      String[] line = out.readLine().split(" ");
      connected += Integer.parseInt(line[1]);
      connectErrors += Integer.parseInt(line[2]);
    }
    System.err.printf("[%s] %d/%d subscribers connected (%d errors)%n", label, connected, subscribers, connectErrors);
    if (opt.containsKey("on-connected")) {
      // e.g. a memory probe of the servers while every connection is open
      Process hook = new ProcessBuilder("bash", "-c", opt.get("on-connected")).inheritIO().start();
      hook.waitFor();
    }

    int[] subsPerChannel = new int[channels];
    for (int i = 0; i < subscribers; i++) {
      subsPerChannel[i % channels]++;
    }

    // 2. warm-up, then measure
    Vertx vertx = Vertx.vertx();
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(32));
    if (warmup > 0) {
      publish(vertx, http, target, nodes, channels, rate, warmup, padding, token, new long[channels]);
      Thread.sleep(1000);
    }
    ins.forEach(in -> in.println("RESET"));
    Thread.sleep(200);
    ServerCpu cpu0 = ServerCpu.sample(serverPids);
    ServerCpu store0 = ServerCpu.sample(storePids);
    long window0 = System.nanoTime();
    long[] publishedPerChannel = new long[channels];
    long[] outcome = publish(vertx, http, target, nodes, channels, rate, duration, padding, token, publishedPerChannel);
    Thread.sleep(2000); // let deliveries drain
    ServerCpu cpu = ServerCpu.sample(serverPids).minus(cpu0);
    ServerCpu store = ServerCpu.sample(storePids).minus(store0);
    double windowSeconds = (System.nanoTime() - window0) / 1e9;

    // 3. results
    ins.forEach(in -> in.println("STOP"));
    Histogram merged = new Histogram(60_000_000L, 3);
    long received = 0;
    for (BufferedReader out : outs) {
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("RESULT ")) {
        // skip
      }
      if (line == null) {
        continue;
      }
      String[] parts = line.split(" ");
      received += Long.parseLong(parts[1]);
      merged.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(parts[3])), 0));
    }
    for (Process p : clients) {
      p.waitFor(10, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
    long expected = 0;
    for (int c = 0; c < channels; c++) {
      expected += publishedPerChannel[c] * subsPerChannel[c];
    }
    double perDeliveryUser = received == 0 ? 0 : cpu.userMicros() / received;
    double perDeliverySys = received == 0 ? 0 : cpu.systemMicros() / received;
    JsonObject result = new JsonObject()
        .put("label", label).put("target", target.name().toLowerCase())
        .put("subscribers", subscribers).put("connected", connected).put("channels", channels)
        .put("rate", rate).put("durationSeconds", duration).put("padding", padding)
        .put("published", outcome[0]).put("publishErrors", outcome[1])
        .put("achievedPerSec", round(outcome[0] * 1000.0 / outcome[2], 1))
        .put("expected", expected).put("delivered", received)
        .put("deliveredPct", expected == 0 ? 0 : round(100.0 * received / expected, 3))
        .put("p50ms", round(merged.getValueAtPercentile(50) / 1000.0, 2))
        .put("p99ms", round(merged.getValueAtPercentile(99) / 1000.0, 2))
        .put("maxMs", round(merged.getMaxValue() / 1000.0, 2))
        .put("cpuUserUsPerDelivery", round(perDeliveryUser, 2))
        .put("cpuSysUsPerDelivery", round(perDeliverySys, 2))
        .put("cpuTotalUsPerDelivery", round(perDeliveryUser + perDeliverySys, 2))
        .put("storeCpuUsPerDelivery", received == 0 ? 0 : round((store.userMicros() + store.systemMicros()) / received, 2))
        // Per published event too: on sparse loads (one subscriber per channel) what an event costs before its
        // first delivery is the figure that matters.
        .put("cpuTotalUsPerEvent", outcome[0] == 0 ? 0 : round((cpu.userMicros() + cpu.systemMicros()) / outcome[0], 2))
        .put("storeCpuUsPerEvent", outcome[0] == 0 ? 0 : round((store.userMicros() + store.systemMicros()) / outcome[0], 2))
        .put("client", opt.containsKey("client-script")
            ? java.nio.file.Path.of(opt.get("client-script")).getParent().getFileName().toString() : "loadgen")
        // Rates over the window the CPU was sampled in, so runs of different loads can be subtracted (split.py).
        .put("windowSeconds", round(windowSeconds, 3))
        .put("serverCpuMsPerSec", round((cpu.userMicros() + cpu.systemMicros()) / 1000 / windowSeconds, 2))
        .put("serverUserMsPerSec", round(cpu.userMicros() / 1000 / windowSeconds, 2))
        .put("deliveredPerSec", round(received / windowSeconds, 1));
    System.out.println(result.encode());
    if (opt.containsKey("json")) {
      Files.writeString(Path.of(opt.get("json")), result.encode() + "\n",
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }
    vertx.close();
    System.exit(0);
  }

  /** Publishes at {@code rate}/s for {@code seconds}, round-robin over nodes and channels; returns {ok, errors}. */
  private static long[] publish(Vertx vertx, HttpClient http, Target target, List<URI> nodes, int channels,
                                double rate, int seconds, int padding, String token, long[] perChannel)
      throws InterruptedException {
    long total = Math.round(rate * seconds);
    if (total == 0) {
      // An idle run: the subscribers stay connected and nothing is published, for the whole window.
      Thread.sleep(seconds * 1000L);
      return new long[] {0, 0, 1};
    }
    Redis redis = target == Target.BRIDGE ? Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(redisUri).setMaxPoolSize(8).setMaxPoolWaiting(100_000).setMaxWaitingHandlers(100_000))
        : null;
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong inFlight = new AtomicLong();
    AtomicLong lastDone = new AtomicLong();
    long[] sent = {0};
    long start = System.nanoTime();
    CountDownLatch done = new CountDownLatch(1);
    vertx.setPeriodic(2, id -> {
      long due = Math.min(total, (long) ((System.nanoTime() - start) / 1e9 * rate));
      while (sent[0] < due) {
        long k = sent[0]++;
        int channel = (int) (k % channels);
        URI node = nodes.get((int) (k % nodes.size()));
        String name = "bench:" + channel;
        RequestOptions req = new RequestOptions().setMethod(target.publishMethod()).setHost(node.getHost())
            .setPort(node.getPort()).setURI(target.publishPath(name))
            .putHeader("Content-Type", "application/json");
        if (!token.equals("-")) {
          req.putHeader("Authorization", "Bearer " + token);
        }
        Buffer body = target.publishBody(name, Clock.micros(), padding);
        inFlight.incrementAndGet();
        Future<Integer> sentOne = target == Target.BRIDGE
            ? redis.send(Request.cmd(Command.XADD).arg(stream).arg("*").arg("payload").arg(body.toString()))
                .map(r -> 202)
            : http.request(req).compose(r -> r.send(body)).compose(r -> r.body().map(b -> r.statusCode()));
        sentOne
            .onComplete(ar -> {
              inFlight.decrementAndGet();
              lastDone.set(System.nanoTime());
              if (ar.succeeded() && ar.result() / 100 == 2) {
                ok.incrementAndGet();
                synchronized (perChannel) {
                  perChannel[channel]++;
                }
              } else {
                errors.incrementAndGet();
              }
            });
      }
      if (sent[0] >= total) {
        vertx.cancelTimer(id);
        done.countDown();
      }
    });
    // A publisher that stalls (a handler that threw, a wedged client) must end the run, not hang the script
    if (!done.await(seconds + 60L, TimeUnit.SECONDS)) {
      System.err.printf("publishing stalled: %d of %d sent after %d s%n", sent[0], total, seconds + 60);
    }
    long deadline = System.currentTimeMillis() + 10_000;
    while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    long elapsedMillis = Math.max(1, (lastDone.get() - start) / 1_000_000);
    return new long[] {ok.get(), errors.get(), elapsedMillis};
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> opt = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        String key = args[i].substring(2);
        String value = i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "true";
        opt.put(key, value);
      }
    }
    return opt;
  }

  private static String required(Map<String, String> opt, String key) {
    String v = opt.get(key);
    if (v == null) {
      System.err.println("missing --" + key + "; see the class comment of " + LoadGen.class.getName());
      System.exit(2);
    }
    return v;
  }


  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
