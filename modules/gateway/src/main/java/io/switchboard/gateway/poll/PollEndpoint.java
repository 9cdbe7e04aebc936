package io.switchboard.gateway.poll;

import io.switchboard.gateway.admission.Unavailable;
import io.switchboard.core.auth.BearerTokens;
import io.switchboard.core.dialect.Family;
import io.switchboard.core.event.Event;
import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.JsonErrors;
import io.switchboard.gateway.admission.Admitted;
import io.switchboard.gateway.admission.StreamAdmission;
import io.switchboard.gateway.fanout.Fanout;
import io.switchboard.gateway.feed.ResumePlan;
import io.switchboard.gateway.feed.SequencedFeed;
import io.switchboard.gateway.resume.ResumePosition;
import io.switchboard.gateway.resume.Resumer;
import io.switchboard.gateway.sse.StreamRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/v1/realtime/poll}: the long-poll for clients whose network does not let streams through (a
 * proxy that buffers, one that kills long requests). The events of the caller's channels after {@code lastEventId},
 * answered as soon as there are any, or empty after {@code timeout} seconds; the answer's {@code lastEventId} is
 * the next poll's. Same credentials, channel rules, quotas and resume machinery as the generic stream, so a client
 * may switch between the two at any id without losing or repeating an event. One per event loop.
 */
public final class PollEndpoint {

  public static final String PATH = "/api/v1/realtime/poll";
  static final int DEFAULT_TIMEOUT_SECONDS = 25;
  static final int MAX_TIMEOUT_SECONDS = 30;

  private final Vertx vertx;
  private final SequencedFeed feed;
  private final Fanout fanout;
  private final Resumer resumer;
  private final StreamAdmission admission;
  private final int maxEvents;
  private final int maxHeldBytes;
  private final Set<PollWaiter> waiting = new HashSet<>();
  private boolean draining;

  public PollEndpoint(Vertx vertx, SequencedFeed feed, Fanout fanout, Resumer resumer, StreamAdmission admission,
                      int maxEvents, int maxHeldBytes) {
    this.vertx = vertx;
    this.feed = feed;
    this.fanout = fanout;
    this.resumer = resumer;
    this.admission = admission;
    this.maxEvents = maxEvents;
    this.maxHeldBytes = maxHeldBytes;
  }

  public void mount(Router router) {
    router.get(PATH).handler(this::poll);
  }

  private void poll(RoutingContext ctx) {
    if (Unavailable.refused(ctx.response(), draining, feed.ready())) {
      return;
    }
    String client = admission.clientOf(ctx.request());
    Long lastEventId;
    int timeoutSeconds;
    try {
      admission.checkOpenRate(client);
      lastEventId = lastEventIdOf(ctx);
      timeoutSeconds = timeoutOf(ctx);
    } catch (ApiError e) {
      if (e.status() == 429) {
        ctx.response().putHeader("Retry-After", "1");
      }
      JsonErrors.send(ctx, e);
      return;
    }
    ctx.request().pause();
    admission.authenticate(ctx.request().getParam("ticket"), BearerTokens.of(ctx.request()), true)
        .compose(p -> admission.admit(p, StreamRoutes.GENERIC.channels().resolve(ctx, p), client, false))
        .onComplete(ar -> fanout.context().runOnContext(v -> {
          ctx.request().resume();
          if (ar.failed()) {
            JsonErrors.send(ctx, ar.cause());
          } else {
            wait(ctx, ar.result(), lastEventId, timeoutSeconds);
          }
        }));
  }

  private void wait(RoutingContext ctx, Admitted admitted, Long lastEventId, int timeoutSeconds) {
    HttpServerResponse response = ctx.response();
    List<String> channels = admitted.channels();
    long[] timer = {-1};
    PollWaiter waiter = new PollWaiter(admitted.principal(), admitted.view(), channels, maxEvents, maxHeldBytes,
        w -> {
          finish(w, admitted, timer[0]);
          answer(response, w.events(), w.lastSent(), w.hasMore(), null);
        });
    if (response.closed()) {
      admission.release(admitted);
      return;
    }
    // Indexed before the plan, as a stream is: the plan's head splits what is replayed from what arrives live.
    fanout.add(waiter);
    waiting.add(waiter);
    response.closeHandler(v -> {
      waiter.markClosed();
      finish(waiter, admitted, timer[0]);
    });
    resumer.plan(lastEventId, channels).onComplete(ar -> {
      if (waiter.isClosed()) {
        return;
      }
      if (ar.failed()) {
        finish(waiter, admitted, timer[0]);
        JsonErrors.send(response, 503, "unavailable", "the event log cannot be read now; retry");
        return;
      }
      ResumePlan plan = ar.result();
      if (lastEventId == null || plan.expired()) {
        // A first poll only learns where "now" is, as a stream's connected frame tells it; an expired position
        // learns that it must reload its state.
        finish(waiter, admitted, timer[0]);
        JsonObject reset = plan.expired() ? new JsonObject()
            .put("type", "reset")
            .put("reason", "the requested position is no longer in the event log; reload your state")
            .put("requestedLastEventId", lastEventId)
            .put("lastEventId", plan.head()) : null;
        answer(response, List.of(), plan.head(), false, reset);
        return;
      }
      // A poll waits no longer than its token is valid: what happens after that is for a fresh token to see.
      long wait = timeoutSeconds * 1000L;
      long validUntil = admitted.principal() == null ? 0 : admitted.principal().validUntilMillis();
      if (validUntil > 0) {
        wait = Math.min(wait, validUntil - System.currentTimeMillis());
      }
      timer[0] = vertx.setTimer(Math.max(1, wait), t -> waiter.answerNow());
      resumer.catchUp(waiter, plan, lastEventId, channels).onFailure(err -> waiter.answerNow());
    });
  }

  private void finish(PollWaiter waiter, Admitted admitted, long timer) {
    if (waiting.remove(waiter)) {
      fanout.remove(waiter);
      admission.release(admitted);
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /**
   * {@code {"events":[<the generic stream's JSON>...],"lastEventId":N,"hasMore":b[,"reset":{..}]}}. The events are
   * put together from their rendered JSON, not encoded again.
   */
  private static void answer(HttpServerResponse response, List<Event> events, long lastEventId, boolean hasMore,
                             JsonObject reset) {
    if (response.closed()) {
      return;
    }
    StringBuilder sb = new StringBuilder(64 + events.size() * 256).append("{\"events\":[");
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(Family.CORE.dialect().render(events.get(i)).json());
    }
    sb.append("],\"lastEventId\":").append(lastEventId).append(",\"hasMore\":").append(hasMore);
    if (reset != null) {
      sb.append(",\"reset\":").append(reset.encode());
    }
    response.putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(sb.append('}').toString());
  }

  /** SIGTERM: every waiting poll is answered at once, so its client polls again on another node. */
  public void drain() {
    fanout.context().runOnContext(v -> {
      draining = true;
      for (PollWaiter w : List.copyOf(waiting)) {
        w.answerNow();
      }
    });
  }

  /** The query wins: a polling client passes each answer's position there. */
  private static Long lastEventIdOf(RoutingContext ctx) {
    return ResumePosition.parse(ctx.request().getParam("lastEventId"), ctx.request().getHeader("Last-Event-ID"),
        "lastEventId");
  }

  private static int timeoutOf(RoutingContext ctx) {
    String raw = ctx.request().getParam("timeout");
    if (raw == null || raw.isBlank()) {
      return DEFAULT_TIMEOUT_SECONDS;
    }
    try {
      int seconds = Integer.parseInt(raw.trim());
      if (seconds < 0 || seconds > MAX_TIMEOUT_SECONDS) {
        throw new NumberFormatException();
      }
      return seconds;
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("timeout must be a whole number of seconds from 0 to " + MAX_TIMEOUT_SECONDS);
    }
  }
}
