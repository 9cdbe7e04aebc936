package io.switchboard.api.publish;

import io.switchboard.core.access.ChannelAccess;
import io.switchboard.core.auth.AuthException;
import io.switchboard.core.auth.BearerTokens;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.event.NewEvent;
import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.BoundedBody;
import io.switchboard.core.http.JsonErrors;
import io.switchboard.core.http.RouteContributor;
import io.switchboard.core.limits.RateLimit;
import io.switchboard.core.log.EventAppender;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.BooleanSupplier;

/**
 * {@code POST /api/v1/events}: services publish a durable event. It is answered 202 once it is committed: numbered
 * by the relay leader with the other events of its moment ({@code DirectPublisher}), or, with
 * {@code SB_PUBLISH_DIRECT=false}, written to the outbox in its own transaction. Every node fans it out.
 */
public final class PublishApi implements RouteContributor {

  public static final String PATH = "/api/v1/events";
  private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("Content-Type");
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

  private final TokenVerifier verifier;
  private final EventAppender appender;
  private final RateLimit limit;
  private final ChannelAccess access;
  private final int maxBodyBytes;
  private final BooleanSupplier logReady;

  public PublishApi(EventAppender appender, TokenVerifier verifier, int maxBodyBytes,
                    BooleanSupplier logReady, int ratePerSecond, int burst, ChannelAccess access) {
    this.limit = new RateLimit(ratePerSecond, burst);
    this.access = access;
    this.appender = appender;
    this.verifier = verifier;
    this.maxBodyBytes = maxBodyBytes;
    this.logReady = logReady;
  }

  /** Forgets the rate-limit buckets of idle publishers; call periodically. */
  public void forgetIdlePublishers() {
    limit.forgetIdle();
  }

  @Override
  public void mount(Router router) {
    router.post(PATH)
        .handler(BoundedBody.limitedTo(maxBodyBytes))
        .handler(this::publish);
  }

  private void publish(RoutingContext ctx) {
    verifier.verify(BearerTokens.of(ctx.request()))
        .compose(principal -> principal.mayPublish()
            ? Future.succeededFuture(principal)
            : Future.failedFuture(AuthException.forbidden("publishing requires role service or admin")))
        .map(principal -> {
          long wait = limit.take(principal.subject());
          if (wait > 0) {
            ctx.response().putHeader("Retry-After", String.valueOf(wait));
            throw new ApiError(429, "rate_limited", "too many events from this token; retry after " + wait + " s");
          }
          return principal;
        })
        .compose(principal -> {
          NewEvent event = PublishRequest.parse(BoundedBody.of(ctx));
          return access.checkPublish(principal, event.channels()).map(event);
        })
        .compose(this::store)
        .onSuccess(eventId -> sendAccepted(ctx, eventId))
        .onFailure(err -> JsonErrors.send(ctx, err));
  }

  private Future<String> store(NewEvent event) {
    if (!logReady.getAsBoolean()) {
      return Future.failedFuture(ApiError.unavailable("the event log is not ready yet; retry shortly"));
    }
    return appender.append(event)
        .recover(err -> Future.failedFuture(ApiError.unavailable("the event log is unavailable; retry shortly")));
  }

  /** The id is a UUID's text, which needs no JSON escaping: the answer is put together, not encoded. */
  private static void sendAccepted(RoutingContext ctx, String eventId) {
    ctx.response().setStatusCode(202)
        .putHeader(CONTENT_TYPE, JSON)
        .end("{\"id\":\"" + eventId + "\",\"status\":\"accepted\"}");
  }
}
