package io.switchboard.gateway.tickets;

import io.switchboard.core.auth.BearerTokens;
import io.switchboard.core.auth.StreamTickets;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.http.JsonErrors;
import io.switchboard.core.http.RouteContributor;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /api/v1/realtime/tickets}: trades a Bearer token for a 30 s, single-use stream ticket. */
public final class TicketApi implements RouteContributor {

  public static final String PATH = "/api/v1/realtime/tickets";

  private final TokenVerifier verifier;
  private final StreamTickets tickets;

  public TicketApi(Vertx vertx, TokenVerifier verifier, java.time.Duration validity) {
    this.verifier = verifier;
    this.tickets = new StreamTickets(vertx, validity);
  }

  @Override
  public void mount(Router router) {
    router.post(PATH).handler(this::issue);
  }

  private void issue(RoutingContext ctx) {
    verifier.verify(BearerTokens.of(ctx.request()))
        .compose(tickets::issue)
        .onSuccess(ticket -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-store")
            .end(new JsonObject().put("ticket", ticket)
                .put("expiresIn", tickets.validity().toSeconds()).encode()))
        .onFailure(err -> JsonErrors.send(ctx, err));
  }
}
