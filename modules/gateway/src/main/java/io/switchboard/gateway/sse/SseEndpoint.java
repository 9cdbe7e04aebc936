package io.switchboard.gateway.sse;

import io.switchboard.core.access.ChannelAccess;
import io.switchboard.core.auth.BearerTokens;
import io.switchboard.core.auth.Principal;
import io.switchboard.core.auth.StreamTickets;
import io.switchboard.core.dialect.Family;
import io.switchboard.core.dialect.Naming;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.event.Channels;
import io.switchboard.core.event.Event;
import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.JsonErrors;
import io.switchboard.core.log.EventLogReader;
import io.switchboard.gateway.access.AccessWatch;
import io.switchboard.gateway.access.CustomerRunView;
import io.switchboard.gateway.access.Watched;
import io.switchboard.gateway.feed.EncodedEvent;
import io.switchboard.gateway.feed.EventView;
import io.switchboard.gateway.feed.FeedListener;
import io.switchboard.gateway.feed.FrameEncoder;
import io.switchboard.gateway.feed.ResumePlan;
import io.switchboard.gateway.feed.SequencedFeed;
import io.switchboard.gateway.live.LiveFleet;
import io.switchboard.gateway.live.LiveFrame;
import io.switchboard.gateway.live.LiveListener;
import io.switchboard.gateway.live.LiveTick;
import io.switchboard.core.position.Fix;
import io.switchboard.gateway.quota.ConnectionsPerIp;
import io.switchboard.gateway.quota.StreamLimits;
import io.switchboard.gateway.quota.StreamQuota;
import io.switchboard.core.limits.RateLimit;
import io.switchboard.gateway.stats.SubscriberCounts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;

/**
 * The SSE stream endpoint of one event loop: accepts subscriptions, resumes them, and fans the feed's events out
 * to its local connections. Each HTTP server instance has its own endpoint, so connections spread over all event
 * loops and none of this state is shared between threads.
 */
public final class SseEndpoint implements FeedListener, LiveListener {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SseEndpoint.class);

  private static final ByteBuffer HEARTBEAT = FrameEncoder.chunk(": heartbeat\n\n");

  private final Vertx vertx;
  private final Context context;
  private final SequencedFeed feed;
  private final EventLogReader reader;
  private final TokenVerifier verifier;
  private final SwitchboardConfig config;
  private final ChannelIndex index = new ChannelIndex();
  private final SubscriberCounts counts;
  private final StreamTickets tickets;
  private final ChannelAccess access;
  private final StreamQuota quota;
  private final ConnectionsPerIp perIp;
  private final RateLimit opens;
  private final LiveFleet fleet;
  private final List<SseConnection> touched = new ArrayList<>();
  private final String retryHint;
  private final ByteBuffer drainHint;
  private final AccessWatch watch;
  private boolean draining;
  private long flushTimer = -1;

  public SseEndpoint(Vertx vertx, SequencedFeed feed, EventLogReader reader, TokenVerifier verifier,
                     SwitchboardConfig config, SubscriberCounts counts, ChannelAccess access, StreamLimits limits,
                     LiveFleet fleet) {
    this.vertx = vertx;
    this.fleet = fleet;
    this.perIp = limits.perAddress();
    this.quota = limits.perUser();
    this.opens = limits.opensPerAddress();
    this.access = access;
    this.counts = counts;
    this.tickets = new StreamTickets(vertx, config.sse().ticketTtl());
    this.context = vertx.getOrCreateContext();
    this.feed = feed;
    this.reader = reader;
    this.verifier = verifier;
    this.config = config;
    this.retryHint = "retry: " + config.sse().retry().toMillis() + "\n";
    this.drainHint = FrameEncoder.chunk("retry: 250\n\n");
    vertx.setPeriodic(config.sse().heartbeat().toMillis(), t -> heartbeat());
    long window = config.sse().flushWindow().toMillis();
    if (window > 0) {
      flushTimer = vertx.setPeriodic(window, t -> flushTouched());
    }
    this.watch = new AccessWatch(vertx, context, access, config.sse().accessRecheck(), this::endAccess);
    feed.addListener(this);
    fleet.addListener(this);
  }

  @Override
  public Context context() {
    return context;
  }

  public int connectionCount() {
    return index.connectionCount();
  }

  /** Opens a stream of {@code spec}'s family: checks, authenticates, resolves channels, resumes, goes live. */
  public void stream(RoutingContext ctx, StreamSpec spec) {
    if (draining) {
      ctx.response().putHeader("Retry-After", "1");
      JsonErrors.send(ctx.response(), 503, "shutting_down", "this node is shutting down; reconnect");
      return;
    }
    if (!feed.ready()) {
      ctx.response().putHeader("Retry-After", "1");
      JsonErrors.send(ctx.response(), 503, "not_ready", "this node is not ready yet; retry shortly");
      return;
    }
    if (ctx.request().version() == io.vertx.core.http.HttpVersion.HTTP_2) {
      JsonErrors.send(ctx.response(), 505, "http_version_not_supported", "streams are served over HTTP/1.1");
      return;
    }
    Long lastEventId;
    Naming naming;
    String client = perIp.clientOf(ctx.request());
    long wait = opens.take(client);
    if (wait > 0) {
      ctx.response().putHeader("Retry-After", String.valueOf(wait));
      JsonErrors.send(ctx.response(), 429, "too_many_stream_opens", "this client address opens streams too fast;"
          + " retry after " + wait + " s");
      return;
    }
    try {
      lastEventId = lastEventIdOf(ctx);
      naming = namingOf(ctx, spec.family());
    } catch (ApiError e) {
      JsonErrors.send(ctx, e);
      return;
    }
    int format = spec.family().format(naming);
    String ticket = ctx.request().getParam("ticket");
    String token = BearerTokens.of(ctx.request());
    Future<Principal> principal;
    if (ticket != null) {
      principal = tickets.redeem(ticket);
    } else if (spec.requiresToken() || token != null) {
      principal = verifier.verify(token);
    } else {
      principal = Future.succeededFuture(null);
    }
    ctx.request().pause();
    String[] owner = new String[1];
    String[] tenant = new String[1];
    Principal[] who = new Principal[1];
    EventView[] view = new EventView[1];
    try {
      perIp.acquire(client);
    } catch (ApiError e) {
      ctx.request().resume();
      JsonErrors.send(ctx, e);
      return;
    }
    principal
        .compose(p -> {
          List<String> channels = spec.channels().resolve(ctx, p);
          checkChannels(channels);
          owner[0] = p == null ? null : p.tenant() + "/" + p.subject();
          tenant[0] = p == null ? null : p.tenant();
          who[0] = p;
          return access.checkSubscribe(p, channels)
              .compose(v -> CustomerRunView.of(access, p, channels))
              .compose(v -> {
                view[0] = v;
                return quota.acquire(owner[0]);
              })
              .map(channels);
        })
        .onSuccess(channels -> {
          ctx.request().resume();
          open(ctx, spec.family(), channels, lastEventId, format, who[0], view[0], owner[0], client, tenant[0]);
        })
        .onFailure(err -> {
          perIp.release(client);
          ctx.request().resume();
          JsonErrors.send(ctx, err);
        });
  }

  private void open(RoutingContext ctx, Family family, List<String> channels, Long lastEventId, int format,
                    Principal principal, EventView view, String owner, String client, String tenant) {
    HttpServerResponse response = ctx.response();
    if (response.closed()) {
      quota.release(owner);
      perIp.release(client);
      return;
    }
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache, no-transform")
        .putHeader("X-Accel-Buffering", "no");
    response.setWriteQueueMaxSize(config.sse().maxBufferBytes());
    response.writeHead();
    RawChannel raw = RawChannel.of(ctx.request().connection());
    raw.dropRequestDecoder();
    // Interned: thousands of idle streams share their channel names, user and address strings.
    List<String> names = channels.stream().map(String::intern).toList();
    SseConnection conn = new SseConnection(raw, principal, view, names, format, config.sse().maxBufferBytes(),
        owner == null ? null : owner.intern(), client == null ? null : client.intern());
    // Register before planning the resume: the plan's head splits what is replayed from what arrives live.
    index.add(conn);
    counts.opened(conn.tenant(), channels);
    response.closeHandler(v -> {
      conn.markClosed();
      remove(conn);
    });
    Map<String, String> params = new LinkedHashMap<>(ctx.pathParams());
    // The stream lives for hours and never reads its request again: drop the header maps (about 1 KB a
    // connection among 15,000 idle ones; docs/benchmarks.md).
    ctx.request().headers().clear();
    response.headers().clear();
    feed.plan(lastEventId, new LinkedHashSet<>(channels))
        .onComplete(ar -> context.runOnContext(v -> {
          if (conn.isClosed()) {
            return;
          }
          if (ar.failed()) {
            remove(conn);
            conn.cutOff(); // the head is out already: closing makes the client retry
            return;
          }
          start(conn, family, params, ar.result(), lastEventId, channels);
          startPositions(conn, channels, tenant);
          watch.watch(conn);
        }));
  }

  private void start(SseConnection conn, Family family, Map<String, String> params, ResumePlan plan,
                     Long lastEventId, List<String> channels) {
    long resumeFrom = lastEventId == null ? plan.head() : lastEventId;
    Naming naming = Family.namingOfFormat(conn.format());
    JsonObject base = new JsonObject()
        .put("type", "connected")
        .put("channels", new JsonArray(channels))
        .put("lastEventId", plan.expired() ? plan.head() : resumeFrom)
        // Which node serves the stream: consoles show it, so a failover is visible.
        .put("node", config.nodeId());
    JsonObject connected = family.dialect().connected(params, base);
    // A family whose pages read every frame as one of theirs gets a frame with only an id: it sets the client's
    // Last-Event-ID without an event (the SSE spec dispatches nothing for a frame without data).
    String first = connected == null
        ? (plan.expired() ? "" : "id: " + resumeFrom + "\n\n")
        : FrameEncoder.frameText(plan.expired() ? -1 : resumeFrom, "connected", naming, connected.encode());
    conn.writeNow(List.of(FrameEncoder.chunk(retryHint + first)));
    if (plan.expired()) {
      JsonObject reset = new JsonObject()
          .put("type", "reset")
          .put("reason", "the requested position is no longer in the event log; reload your state")
          .put("requestedLastEventId", lastEventId)
          .put("lastEventId", plan.head());
      conn.writeNow(List.of(FrameEncoder.control(plan.head(), "reset", naming, reset.encode())));
      conn.goLive(plan.head());
    } else if (lastEventId == null || lastEventId >= plan.head()) {
      conn.goLive(resumeFrom);
    } else if (plan.fromMemory() != null) {
      replay(conn, plan.fromMemory());
      conn.goLive(plan.head());
    } else {
      replayFromLog(conn, lastEventId, plan.head(), channels);
    }
  }

  private void replay(SseConnection conn, List<EncodedEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    List<ByteBuffer> out = new ArrayList<>(events.size());
    for (EncodedEvent e : events) {
      ByteBuffer chunk = conn.chunkOf(e);
      if (chunk != null) {
        out.add(chunk);
      }
    }
    conn.writeNow(out);
    conn.markReplayed(events.get(events.size() - 1).seq());
  }

  /** Pages through PostgreSQL, waiting for the socket to drain between pages, then goes live at {@code head}. */
  private void replayFromLog(SseConnection conn, long after, long head, List<String> channels) {
    int page = config.sse().replayPageSize();
    reader.range(after, head, channels, page)
        .onComplete(ar -> context.runOnContext(v -> {
          if (conn.isClosed()) {
            return;
          }
          if (ar.failed()) {
            remove(conn);
            conn.cutOff(); // the client resumes from its last id elsewhere or later
            return;
          }
          List<Event> events = ar.result();
          List<EncodedEvent> encoded = new ArrayList<>(events.size());
          for (Event e : events) {
            encoded.add(FrameEncoder.encode(e));
          }
          replay(conn, encoded);
          if (events.size() < page) {
            whenDrained(conn).onSuccess(x -> conn.goLive(head));
          } else {
            long next = events.get(events.size() - 1).seq();
            whenDrained(conn).compose(x -> paced(conn, events.size()))
                .onSuccess(x -> replayFromLog(conn, next, head, channels));
          }
        }));
  }

  /**
   * A resume without a token (the shop's public stream) costs the node PostgreSQL reads that nobody answers for:
   * its pages are spread so that it replays at most {@code SB_ANONYMOUS_REPLAY_RATE} events a second. Streams
   * with a token are bounded by their user's stream quota instead.
   */
  private Future<Void> paced(SseConnection conn, int replayed) {
    int rate = config.sse().rates().anonymousReplayRate();
    if (conn.principal() != null || rate <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    vertx.setTimer(Math.max(1, replayed * 1000L / rate), t -> p.complete());
    return p.future();
  }

  /** Completes when the connection's unsent bytes fell under the bound again (polled: replays are rare). */
  private Future<Void> whenDrained(SseConnection conn) {
    Promise<Void> p = Promise.promise();
    pollWritable(conn, p);
    return p.future();
  }

  private void pollWritable(SseConnection conn, Promise<Void> p) {
    if (conn.isClosed()) {
      p.tryFail("closed");
    } else if (conn.writable()) {
      p.tryComplete();
    } else {
      vertx.setTimer(20, t -> pollWritable(conn, p));
    }
  }

  @Override
  public void onEvents(List<EncodedEvent> events) {
    if (events.size() == 1 && flushTimer < 0) {
      // One event gives each connection at most one frame: send it on the spot, in a single pass.
      EncodedEvent e = events.get(0);
      List<String> chs = e.channels();
      for (int i = 0; i < chs.size(); i++) {
        for (SseConnection conn : index.on(chs.get(i))) {
          try {
            conn.deliver(e);
          } catch (RuntimeException err) {
            failed(conn, e, err);
          }
        }
      }
      return;
    }
    for (EncodedEvent e : events) {
      List<String> chs = e.channels();
      for (int i = 0; i < chs.size(); i++) {
        for (SseConnection conn : index.on(chs.get(i))) {
          try {
            if (conn.offer(e) && !conn.dirty) {
              conn.dirty = true;
              touched.add(conn);
            }
          } catch (RuntimeException err) {
            failed(conn, e, err);
          }
        }
      }
    }
    if (flushTimer < 0) {
      flushTouched();
    }
  }

  @Override
  public void onTransient(List<EncodedEvent> events) {
    for (EncodedEvent e : events) {
      List<String> chs = e.channels();
      for (int i = 0; i < chs.size(); i++) {
        for (SseConnection conn : index.on(chs.get(i))) {
          ByteBuffer chunk = e.chunk(conn.format());
          if (chunk != null && conn.offerTransient(chunk) && !conn.dirty) {
            conn.dirty = true;
            touched.add(conn);
          }
        }
      }
    }
    flushTouched();
  }

  @Override
  public void onTick(LiveTick tick) {
    if (index.connectionCount() == 0) {
      return;
    }
    tick.drivers().forEach((driverId, frame) -> offerLive(index.on("driver:" + driverId), frame));
    tick.fleets().forEach((tenant, frame) -> offerLive(index.on("fleet:" + tenant), frame));
    flushTouched();
  }

  private void offerLive(SseConnection[] conns, LiveFrame frame) {
    for (SseConnection conn : conns) {
      if (conn.offerLive(frame.chunk(Family.namingOfFormat(conn.format()))) && !conn.dirty) {
        conn.dirty = true;
        touched.add(conn);
      }
    }
  }

  /**
   * Position channels ({@code driver:{id}}, {@code fleet:{tenant}}) start with the latest positions, so a map is
   * right at once; then the conflated live frames follow.
   */
  private void startPositions(SseConnection conn, List<String> channels, String tenant) {
    List<Future<LiveFrame>> first = new ArrayList<>();
    for (String c : channels) {
      int colon = c.indexOf(':');
      String rest = c.substring(colon + 1);
      if (c.startsWith("driver:") && rest.indexOf(':') < 0 && tenant != null) {
        first.add(fleet.latest(tenant, rest).map(f -> f == null ? null : LiveFleet.driverFrame(f)));
      } else if (c.startsWith("fleet:")) {
        first.add(fleet.snapshot(rest));
      }
    }
    if (first.isEmpty()) {
      return;
    }
    Naming naming = Family.namingOfFormat(conn.format());
    Future.join(first).onComplete(ar -> context.runOnContext(v -> {
      List<ByteBuffer> frames = new ArrayList<>();
      for (Future<LiveFrame> f : first) {
        if (f.succeeded() && f.result() != null) {
          frames.add(f.result().chunk(naming));
        }
      }
      conn.startPositions(frames);
    }));
  }

  /**
   * Something failed for one connection only (a bug we did not foresee): that client is cut off, resumes from its
   * last id when it reconnects, and every other connection and event goes on.
   */
  private void failed(SseConnection conn, EncodedEvent e, RuntimeException err) {
    LOG.warn("Writing event {} to a stream failed ({}); cutting that stream off, it resumes on reconnect",
        e == null ? "-" : e.seq(), err.toString());
    conn.cutOff();
    remove(conn);
  }

  private void remove(SseConnection conn) {
    if (index.remove(conn)) {
      counts.closed(conn.tenant(), conn.channels());
      quota.release(conn.owner());
      perIp.release(conn.client());
    }
  }

  private void flushTouched() {
    for (int i = 0; i < touched.size(); i++) {
      touched.get(i).flush();
    }
    touched.clear();
  }

  private void heartbeat() {
    List<SseConnection> cut = new ArrayList<>();
    for (SseConnection conn : index.all()) {
      conn.heartbeat(HEARTBEAT);
      if (conn.isClosed()) {
        cut.add(conn);
      }
    }
    cut.forEach(this::remove);
  }

  /**
   * Ends a stream whose access ended ({@link AccessWatch}): an {@code access_ended} frame without an id (so the
   * client's Last-Event-ID stays its last event) says why, then the stream closes. With a fresh token, the client
   * resumes exactly; a relation that ended refuses it (403).
   */
  private void endAccess(Watched w, String reason) {
    SseConnection conn = (SseConnection) w;
    JsonObject json = new JsonObject().put("type", "access_ended").put("reason", reason)
        .put("lastEventId", conn.lastSent())
        .put("message", AccessWatch.TOKEN_EXPIRED.equals(reason)
            ? "the token expired; reconnect with a fresh one and Last-Event-ID to resume"
            : "access to these channels ended");
    conn.end(FrameEncoder.control(-1, "access_ended", Family.namingOfFormat(conn.format()), json.encode()),
        FrameEncoder.LAST_CHUNK);
    remove(conn);
  }

  /** SIGTERM: refuse new streams and tell every client to reconnect at once (it lands on another node). */
  public Future<Void> drain() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      draining = true;
      for (SseConnection conn : new ArrayList<>(index.all())) {
        conn.end(drainHint, FrameEncoder.LAST_CHUNK);
        remove(conn);
      }
      done.complete();
    });
    return done.future();
  }

  private void checkChannels(List<String> channels) {
    if (channels.isEmpty()) {
      throw ApiError.badRequest("at least one channel is required, e.g. ?channel=order:123");
    }
    if (channels.size() > config.sse().maxChannels()) {
      throw ApiError.badRequest("too many channels (at most " + config.sse().maxChannels() + ")");
    }
    for (String c : channels) {
      if (!Channels.isValid(c)) {
        throw ApiError.badRequest("invalid channel name: " + abbreviate(c));
      }
    }
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

  private static Long lastEventIdOf(RoutingContext ctx) {
    String raw = ctx.request().getHeader("Last-Event-ID");
    if (raw == null || raw.isBlank()) {
      raw = ctx.request().getParam("lastEventId");
    }
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      long id = Long.parseLong(raw.trim());
      if (id < 0) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("Last-Event-ID must be a non-negative event sequence number");
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
