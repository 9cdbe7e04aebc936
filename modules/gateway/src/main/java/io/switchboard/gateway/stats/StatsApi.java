package io.switchboard.gateway.stats;

import io.switchboard.core.auth.AuthException;
import io.switchboard.core.auth.BearerTokens;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.http.JsonErrors;
import io.switchboard.core.http.RouteContributor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/realtime/stats}: the delivery seed's {@code getSubscriberCounts()}, over the whole cluster, for
 * the caller's tenant only.
 */
public final class StatsApi implements RouteContributor {

  public static final String PATH = "/api/v1/realtime/stats";

  private final StatsBoard board;
  private final TokenVerifier verifier;

  public StatsApi(Vertx vertx, TokenVerifier verifier) {
    this.board = new StatsBoard(vertx);
    this.verifier = verifier;
  }

  @Override
  public void mount(Router router) {
    router.get(PATH).handler(this::stats);
  }

  private void stats(RoutingContext ctx) {
    verifier.verify(BearerTokens.of(ctx.request()))
        .compose(p -> p.isStaff() && !p.tenant().isEmpty() ? board.clusterCounts(p.tenant())
            : Future.failedFuture(AuthException.forbidden("subscriber counts are for dispatchers, admins and services")))
        .onSuccess(json -> ctx.response().putHeader("Content-Type", "application/json").end(json.encode()))
        .onFailure(err -> JsonErrors.send(ctx, err));
  }
}
