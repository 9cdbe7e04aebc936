package io.switchboard.core.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * Stream tickets: a client with a token asks for a ticket and opens its stream with {@code ?ticket=}, so a
 * long-lived token never sits in a URL (or in a proxy's access log). The stream it opens lasts as long as the token
 * that bought it would. A ticket is valid once, for {@code SB_STREAM_TICKET_TTL} (30 s): it lives
 * in a cluster-wide map with a time-to-live and is redeemed with an atomic remove, on whichever node the stream
 * lands.
 */
public final class StreamTickets {

  private static final String MAP = "switchboard.stream-tickets";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final Duration validity;

  public StreamTickets(Vertx vertx, Duration validity) {
    this.vertx = vertx;
    this.validity = validity;
  }

  public Duration validity() {
    return validity;
  }

  public Future<String> issue(Principal principal) {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    JsonObject value = new JsonObject().put("sub", principal.subject()).put("role", principal.role())
        .put("tenant", principal.tenant()).put("channels", new io.vertx.core.json.JsonArray(principal.channels()))
        .put("validUntil", principal.validUntilMillis());
    return map().compose(m -> m.put(ticket, value, validity.toMillis())).map(ticket);
  }

  /** The principal the ticket was issued to; fails with 401 for an unknown, used or expired ticket. */
  public Future<Principal> redeem(String ticket) {
    if (ticket == null || ticket.isBlank() || ticket.length() > 64) {
      return Future.failedFuture(AuthException.unauthorized("invalid ticket"));
    }
    return map().compose(m -> m.remove(ticket)).compose(value -> value == null
        ? Future.failedFuture(AuthException.unauthorized("unknown, used or expired ticket"))
        : Future.succeededFuture(new Principal(value.getString("sub"), value.getString("role"),
            value.getString("tenant"), value.getJsonArray("channels").getList(), value.getLong("validUntil", 0L))));
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }
}
