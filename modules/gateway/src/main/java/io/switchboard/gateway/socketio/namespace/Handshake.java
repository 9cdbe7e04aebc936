package io.switchboard.gateway.socketio.namespace;

import io.switchboard.core.auth.BearerTokens;
import io.switchboard.core.http.PageOrigin;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What the engine handshake's HTTP request told about its client, kept for its namespaces' CONNECTs (which may
 * arrive later, through another node): its token (header, query, or cookie), whether the cookie was the only
 * credential and came from a page we do not trust, a stream ticket, its address, and the seed dashboard's
 * {@code ?shopId=}.
 */
public record Handshake(String token, boolean untrustedCookie, String ticket, String client, String shopId) {

  public static Handshake of(HttpServerRequest r, String client, List<String> allowedOrigins) {
    String token = BearerTokens.of(r);
    boolean cookieOnly = token != null && r.getHeader("Authorization") == null && r.getParam("access_token") == null
        && r.getParam("token") == null;
    // A browser sends the cookie with a WebSocket any site opens to us, and CORS does not cover WebSockets: a
    // cookie from a foreign page is not a credential. Clients that are not browsers send no Origin.
    boolean untrusted = cookieOnly && r.getHeader("Origin") != null && !PageOrigin.trusted(r, allowedOrigins);
    return new Handshake(token, untrusted, r.getParam("ticket"), client, r.getParam("shopId"));
  }

  JsonObject toJson() {
    // The ticket was redeemed (or never will be: a ticket is single use); it does not travel.
    return new JsonObject().put("token", token).put("untrustedCookie", untrustedCookie).put("client", client)
        .put("shopId", shopId);
  }

  static Handshake from(JsonObject json) {
    return new Handshake(json.getString("token"), json.getBoolean("untrustedCookie", false), null,
        json.getString("client"), json.getString("shopId"));
  }
}
