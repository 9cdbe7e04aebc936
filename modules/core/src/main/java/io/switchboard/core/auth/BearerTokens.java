package io.switchboard.core.auth;

import io.vertx.core.http.HttpServerRequest;

/**
 * Finds the token of a request: {@code Authorization: Bearer}, else the {@code access_token} or {@code token} query
 * parameter (EventSource cannot set headers; the delivery seed passes {@code ?token=}).
 */
public final class BearerTokens {

  private BearerTokens() {}

  public static String of(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    String token = request.getParam("access_token");
    return token != null ? token : request.getParam("token");
  }
}
