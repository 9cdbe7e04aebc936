package io.switchboard.core.http;

import io.vertx.core.http.HttpServerRequest;

import java.net.URI;
import java.util.List;

/**
 * Whether a browser request comes from a page we trust: its {@code Origin} is one of {@code SB_CORS_ORIGINS}, or
 * this host itself (through whatever proxy kept the Host header). What a cookie-authenticated change (CSRF) and a
 * cookie-authenticated WebSocket (cross-site WebSocket hijacking: WebSockets are not covered by CORS) must show.
 */
public final class PageOrigin {

  private PageOrigin() {}

  public static boolean trusted(HttpServerRequest r, List<String> allowedOrigins) {
    String origin = r.getHeader("Origin");
    return origin != null && (allowedOrigins.contains(origin) || sameHost(origin, r.getHeader("Host")));
  }

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
