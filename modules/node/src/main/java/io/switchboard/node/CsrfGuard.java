package io.switchboard.node;

import io.switchboard.core.auth.BearerTokens;
import io.switchboard.core.http.JsonErrors;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
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
    if (!changes(request.method()) || !byCookieAlone(request) || proven(request)) {
      ctx.next();
      return;
    }
    JsonErrors.send(ctx.response(), 403, "csrf_refused", "a change authenticated by the access_token cookie alone"
        + " needs an X-Requested-With header or an allowed Origin; or send the token as Authorization: Bearer");
  }

  private static boolean changes(HttpMethod m) {
    return m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH || m == HttpMethod.DELETE;
  }

  private static boolean byCookieAlone(HttpServerRequest r) {
    return r.getHeader("Authorization") == null && r.getParam("access_token") == null && r.getParam("token") == null
        && r.getCookie(BearerTokens.COOKIE) != null;
  }

  private boolean proven(HttpServerRequest r) {
    if (r.getHeader("X-Requested-With") != null) {
      return true;
    }
    String origin = r.getHeader("Origin");
    return origin != null && (allowedOrigins.contains(origin) || sameHost(origin, r.getHeader("Host")));
  }

  /** The page was served by this host (through whatever proxy kept the Host header). */
  private static boolean sameHost(String origin, String host) {
    if (host == null) {
      return false;
    }
    try {
      URI uri = URI.create(origin);
      return uri.getRawAuthority() != null && uri.getRawAuthority().equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
