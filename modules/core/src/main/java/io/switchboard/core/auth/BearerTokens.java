package io.switchboard.core.auth;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

/**
 * Finds the token of a request: {@code Authorization: Bearer}, else the {@code access_token} or {@code token} query
 * parameter (EventSource cannot set headers; the delivery seed passes {@code ?token=}), else the
 * {@code access_token} cookie (httpOnly, sent by EventSource with {@code withCredentials}). Stream tickets
 * ({@code ?ticket=}) are redeemed by the stream endpoints, see {@link StreamTickets}.
 */
public final class BearerTokens {

  public static final String COOKIE = "access_token";

  private BearerTokens() {}

  public static String of(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    String token = request.getParam("access_token");
    if (token == null) {
      token = request.getParam("token");
    }
    if (token == null) {
      Cookie cookie = request.getCookie(COOKIE);
      token = cookie == null ? null : cookie.getValue();
    }
    return token;
  }
}
