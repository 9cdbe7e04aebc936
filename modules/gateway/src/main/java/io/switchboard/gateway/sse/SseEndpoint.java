package io.switchboard.gateway.sse;

import io.switchboard.gateway.admission.Unavailable;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.dialect.Family;
import io.switchboard.core.dialect.Naming;
import io.switchboard.core.auth.BearerTokens;
import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.JsonErrors;
import io.switchboard.gateway.access.AccessWatch;
import io.switchboard.gateway.admission.Admitted;
import io.switchboard.gateway.admission.StreamAdmission;
import io.switchboard.gateway.fanout.Fanout;
import io.switchboard.gateway.fanout.Subscriber;
import io.switchboard.gateway.feed.FrameEncoder;
import io.switchboard.gateway.feed.ResumePlan;
import io.switchboard.gateway.feed.SequencedFeed;
import io.switchboard.gateway.live.LiveFleet;
import io.switchboard.gateway.live.LiveFrame;
import io.switchboard.gateway.resume.ResumePosition;
import io.switchboard.gateway.resume.Resumer;
import io.switchboard.gateway.stats.SubscriberCounts;
import io.switchboard.gateway.wire.RawChannel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SSE transport of one event loop: the HTTP side of a stream (its request's parameters, its response's head,
 * its first frames, heartbeats) around what every transport shares: {@link StreamAdmission} lets it in,
 * {@link Resumer} catches it up, {@link Fanout} delivers to it, {@link AccessWatch} ends it when its access ends.
 */
public final class SseEndpoint {

  private static final ByteBuffer HEARTBEAT = FrameEncoder.chunk(": heartbeat\n\n");
  /**
   * A first heartbeat this long after the first frames, in a write of its own: a client can tell a stream that flows
   * from one that a buffering proxy holds back (it passes the first frames with the response's head and keeps the
   * rest), within seconds rather than one heartbeat interval (clients/js falls back to polling on it).
   */
  private static final long EARLY_HEARTBEAT_MS = 1_000;

  private final Vertx vertx;
  private final SwitchboardConfig config;
  private final SequencedFeed feed;
  private final Fanout fanout;
  private final Resumer resumer;
  private final StreamAdmission admission;
  private final AccessWatch watch;
  private final SubscriberCounts counts;
  private final LiveFleet fleet;
  private final String retryHint;
  private final ByteBuffer drainHint;
  private boolean draining;

  public SseEndpoint(Vertx vertx, SwitchboardConfig config, SequencedFeed feed, Fanout fanout, Resumer resumer,
                     StreamAdmission admission, AccessWatch watch, SubscriberCounts counts, LiveFleet fleet) {
    this.vertx = vertx;
    this.config = config;
    this.feed = feed;
    this.fanout = fanout;
    this.resumer = resumer;
    this.admission = admission;
    this.watch = watch;
    this.counts = counts;
    this.fleet = fleet;
    this.retryHint = "retry: " + config.sse().retry().toMillis() + "\n";
    this.drainHint = FrameEncoder.chunk("retry: 250\n\n");
    vertx.setPeriodic(config.sse().heartbeat().toMillis(), t -> heartbeat());
  }

  /** Opens a stream of {@code spec}'s family: checks, authenticates, resolves channels, resumes, goes live. */
  public void stream(RoutingContext ctx, StreamSpec spec) {
    if (Unavailable.refused(ctx.response(), draining, feed.ready())) {
      return;
    }
    if (ctx.request().version() == HttpVersion.HTTP_2) {
      JsonErrors.send(ctx.response(), 505, "http_version_not_supported", "streams are served over HTTP/1.1");
      return;
    }
    String client = admission.clientOf(ctx.request());
    Long lastEventId;
    Naming naming;
    try {
      admission.checkOpenRate(client);
      lastEventId = lastEventIdOf(ctx);
      naming = namingOf(ctx, spec.family());
    } catch (ApiError e) {
      if (e.status() == 429) {
        ctx.response().putHeader("Retry-After", "1");
      }
      JsonErrors.send(ctx, e);
      return;
    }
    int format = spec.family().format(naming);
    ctx.request().pause();
    admission.authenticate(ctx.request().getParam("ticket"), BearerTokens.of(ctx.request()), spec.requiresToken())
        .compose(p -> admission.admit(p, spec.channels().resolve(ctx, p), client, false))
        .onSuccess(admitted -> {
          ctx.request().resume();
          open(ctx, spec.family(), admitted, lastEventId, format);
        })
        .onFailure(err -> {
          ctx.request().resume();
          JsonErrors.send(ctx, err);
        });
  }

  private void open(RoutingContext ctx, Family family, Admitted admitted, Long lastEventId, int format) {
    HttpServerResponse response = ctx.response();
    if (response.closed()) {
      admission.release(admitted);
      return;
    }
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache, no-transform")
        .putHeader("X-Accel-Buffering", "no");
    response.setWriteQueueMaxSize(config.sse().maxBufferBytes());
    RawChannel raw = RawChannel.of(ctx.request().connection());
    // Interned: thousands of idle streams share their channel names, user and address strings.
    List<String> channels = admitted.channels().stream().map(String::intern).toList();
    SseConnection conn = new SseConnection(raw, admitted.principal(), admitted.view(), channels, format,
        config.sse().maxBufferBytes(), admitted.owner() == null ? null : admitted.owner().intern(),
        admitted.client() == null ? null : admitted.client().intern());
    // Indexed before the resume is planned: the plan's head splits what is replayed from what arrives live.
    fanout.add(conn);
    counts.opened(conn.tenant(), channels);
    response.closeHandler(v -> {
      conn.markClosed();
      remove(conn);
    });
    Map<String, String> params = new LinkedHashMap<>(ctx.pathParams());
    // The stream lives for hours and never reads its request again: drop the header maps (about 1 KB a
    // connection among 15,000 idle ones; docs/benchmarks.md).
    ctx.request().headers().clear();
    resumer.plan(lastEventId, channels).onComplete(ar -> {
      if (conn.isClosed()) {
        return;
      }
      if (ar.failed()) {
        conn.cutOff(); // closing makes the client retry
        return;
      }
      // The head goes out only now that the plan is made: a client may publish as soon as it sees its stream open,
      // and "from now" must not be a moment later (found when publishing got faster: the first events published
      // after a fresh stream's open were behind its plan's head, and never sent). Until now the stream is indexed
      // but not live: what arrived meanwhile is held, and goes out after the head and the first frames.
      // The first frames (the position) are made before the head and written right behind it: a client that sees
      // its stream open has its position a few microseconds later. Made in between, on a cold JVM, they followed
      // the head by 30 ms, and a node killed in that window left an open client without a position, whose
      // reconnect then started "from now" (RollingRestartTest).
      List<ByteBuffer> first = firstFrames(conn, family, params, ar.result(), lastEventId);
      response.writeHead();
      conn.headSent();
      conn.writeNow(first);
      raw.dropRequestDecoder();
      response.headers().clear();
      vertx.setTimer(EARLY_HEARTBEAT_MS, t -> conn.heartbeat(HEARTBEAT));
      resumer.catchUp(conn, ar.result(), lastEventId, channels).onFailure(err -> conn.cutOff());
      startPositions(conn);
      watch.watch(conn);
    });
  }

  /** {@code connected} (or an id-only frame), and {@code reset} when the resume point is older than retention. */
  private List<ByteBuffer> firstFrames(SseConnection conn, Family family, Map<String, String> params, ResumePlan plan,
                                       Long lastEventId) {
    long resumeFrom = lastEventId == null ? plan.head() : lastEventId;
    Naming naming = Family.namingOfFormat(conn.format());
    JsonObject base = new JsonObject()
        .put("type", "connected")
        .put("channels", new JsonArray(conn.channels()))
        .put("lastEventId", plan.expired() ? plan.head() : resumeFrom)
        // Which node serves the stream: consoles show it, so a failover is visible.
        .put("node", config.nodeId());
    JsonObject connected = family.dialect().connected(params, base);
    // A family whose pages read every frame as one of theirs gets a frame with only an id: it sets the client's
    // Last-Event-ID without an event (the SSE spec dispatches nothing for a frame without data).
    String first = connected == null
        ? (plan.expired() ? "" : "id: " + resumeFrom + "\n\n")
        : FrameEncoder.frameText(plan.expired() ? -1 : resumeFrom, "connected", naming, connected.encode());
    List<ByteBuffer> frames = new ArrayList<>(2);
    frames.add(FrameEncoder.chunk(retryHint + first));
    if (plan.expired()) {
      JsonObject reset = new JsonObject()
          .put("type", "reset")
          .put("reason", "the requested position is no longer in the event log; reload your state")
          .put("requestedLastEventId", lastEventId)
          .put("lastEventId", plan.head());
      frames.add(FrameEncoder.control(plan.head(), "reset", naming, reset.encode()));
    }
    return frames;
  }

  /**
   * Position channels ({@code driver:{id}}, {@code fleet:{tenant}}) start with the latest positions, so a map is
   * right at once; then the conflated live frames follow.
   */
  private void startPositions(SseConnection conn) {
    String tenant = conn.principal() == null ? null : conn.principal().tenant();
    List<Future<LiveFrame>> first = new ArrayList<>();
    for (String c : conn.channels()) {
      String rest = c.substring(c.indexOf(':') + 1);
      if (c.startsWith("driver:") && rest.indexOf(':') < 0 && tenant != null) {
        first.add(fleet.latest(tenant, rest).map(f -> f == null ? null : LiveFleet.driverFrame(f)));
      } else if (c.startsWith("fleet:")) {
        first.add(fleet.snapshot(rest));
      }
    }
    if (first.isEmpty()) {
      conn.startPositions(List.of());
      return;
    }
    Naming naming = Family.namingOfFormat(conn.format());
    Future.join(first).onComplete(ar -> fanout.context().runOnContext(v -> {
      List<ByteBuffer> frames = new ArrayList<>();
      for (Future<LiveFrame> f : first) {
        if (f.succeeded() && f.result() != null) {
          frames.add(f.result().chunk(naming));
        }
      }
      conn.startPositions(frames);
    }));
  }

  private void remove(SseConnection conn) {
    if (fanout.remove(conn)) {
      counts.closed(conn.tenant(), conn.channels());
      admission.release(conn.owner(), conn.client());
    }
  }

  private void heartbeat() {
    for (Subscriber s : new ArrayList<>(fanout.all())) {
      if (s instanceof SseConnection conn) {
        conn.heartbeat(HEARTBEAT);
        if (conn.isClosed()) {
          remove(conn);
        }
      }
    }
  }

  /** SIGTERM: refuse new streams and tell every client to reconnect at once (it lands on another node). */
  public Future<Void> drain() {
    Promise<Void> done = Promise.promise();
    fanout.context().runOnContext(v -> {
      draining = true;
      for (Subscriber s : new ArrayList<>(fanout.all())) {
        if (s instanceof SseConnection conn) {
          conn.end(drainHint, FrameEncoder.LAST_CHUNK);
          remove(conn);
        }
      }
      done.complete();
    });
    return done.future();
  }

  /**
   * {@code ?events=message|named|both}; the generic stream also takes the older {@code ?named=true}. Without them,
   * the family's default, with one rule: both frames of an event (named and unnamed, for pages that mix
   * {@code onmessage} and {@code addEventListener}) go only to clients that ask for {@code text/event-stream}, as
   * every EventSource does. A plain {@code fetch} reader (the shop guide's) sends no such Accept and takes every
   * {@code data:} line as an event: it gets one frame per event.
   */
  static Naming namingOf(RoutingContext ctx, Family family) {
    if ("true".equalsIgnoreCase(ctx.request().getParam("named"))) {
      return Naming.NAMED;
    }
    Naming naming = Naming.parse(ctx.request().getParam("events"), family.dialect().defaultNaming());
    if (naming == Naming.BOTH && ctx.request().getParam("events") == null) {
      String accept = ctx.request().getHeader("Accept");
      if (accept == null || !accept.contains("text/event-stream")) {
        return Naming.MESSAGE;
      }
    }
    return naming;
  }

  /** The header wins: EventSource sends it on every reconnect, while the query keeps the page's first position. */
  private static Long lastEventIdOf(RoutingContext ctx) {
    return ResumePosition.parse(ctx.request().getHeader("Last-Event-ID"), ctx.request().getParam("lastEventId"),
        "Last-Event-ID");
  }
}
