package io.switchboard.node;

import io.switchboard.core.auth.BearerTokens;
import io.switchboard.core.http.JsonErrors;
import io.switchboard.core.http.PageOrigin;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * Cross-site request forgery: a browser sends the {@code access_token} cookie with any request to our host, also
 * one a form on another site submits. A request that changes something and is authenticated by the cookie alone
 * must show that a page's own script sent it: an {@code X-Requested-With} header (which a form cannot set, and a
 * cross-site script cannot either without passing CORS), or an {@code Origin} that is one of
 * {@code SB_CORS_ORIGINS} or this host itself. Requests with a bearer token or a token parameter need no proof:
 * a browser never adds those on its own. Reads are not affected (EventSource sends nothing but the cookie).
 */
final class CsrfGuard implements Handler<RoutingContext> {

  private final List<String> allowedOrigins;

  CsrfGuard(List<String> allowedOrigins) {
    this.allowedOrigins = allowedOrigins;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!changes(request.method()) || !byCookieAlone(request) || proven(request) || socketIo(request)) {
      ctx.next();
      return;
    }
    JsonErrors.send(ctx.response(), 403, "csrf_refused", "a change authenticated by the access_token cookie alone"
        + " needs an X-Requested-With header or an allowed Origin; or send the token as Authorization: Bearer");
  }

  /**
   * A Socket.IO polling POST carries its session id, which a forging page cannot know; the session's credentials
   * were checked, with the page's origin, when it was opened (see the gateway's Handshake).
   */
  private static boolean socketIo(HttpServerRequest r) {
    return r.path().startsWith("/socket.io/") && r.getParam("sid") != null;
  }

  private static boolean changes(HttpMethod m) {
    return m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH || m == HttpMethod.DELETE;
  }

  private static boolean byCookieAlone(HttpServerRequest r) {
    return r.getHeader("Authorization") == null && r.getParam("access_token") == null && r.getParam("token") == null
        && r.getCookie(BearerTokens.COOKIE) != null;
  }

  private boolean proven(HttpServerRequest r) {
    return r.getHeader("X-Requested-With") != null || PageOrigin.trusted(r, allowedOrigins);
  }
}
