package io.switchboard.gateway.tickets;

import io.switchboard.core.auth.BearerTokens;
import io.switchboard.core.auth.StreamTickets;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.JsonErrors;
import io.switchboard.core.http.RouteContributor;
import io.switchboard.core.limits.RateLimit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /api/v1/realtime/tickets}: trades a Bearer token for a 30 s, single-use stream ticket. */
public final class TicketApi implements RouteContributor {

  public static final String PATH = "/api/v1/realtime/tickets";

  private final TokenVerifier verifier;
  private final StreamTickets tickets;
  private final RateLimit perSubject;

  /** {@code rate}/{@code burst}: tickets per token subject per second on this node (0: no limit). */
  public TicketApi(Vertx vertx, TokenVerifier verifier, java.time.Duration validity, int rate, int burst) {
    this.verifier = verifier;
    this.tickets = new StreamTickets(vertx, validity);
    this.perSubject = new RateLimit(rate, burst);
    vertx.setPeriodic(60_000, t -> perSubject.forgetIdle());
  }

  @Override
  public void mount(Router router) {
    router.post(PATH).handler(this::issue);
  }

  private void issue(RoutingContext ctx) {
    verifier.verify(BearerTokens.of(ctx.request()))
        .compose(p -> {
          long wait = perSubject.take(p.tenant() + "/" + p.subject());
          if (wait > 0) {
            ctx.response().putHeader("Retry-After", String.valueOf(wait));
            return Future.failedFuture(new ApiError(429, "rate_limited",
                "too many stream tickets for this token; retry after " + wait + " s"));
          }
          return tickets.issue(p);
        })
        .onSuccess(ticket -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-store")
            .end(new JsonObject().put("ticket", ticket)
                .put("expiresIn", tickets.validity().toSeconds()).encode()))
        .onFailure(err -> JsonErrors.send(ctx, err));
  }
}
