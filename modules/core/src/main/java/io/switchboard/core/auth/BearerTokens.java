package io.switchboard.core.auth;

import io.vertx.core.http.HttpServerRequest;

/** Finds the token of a request: {@code Authorization: Bearer}, else the {@code access_token} query parameter. */
public final class BearerTokens {

  private BearerTokens() {}

  public static String of(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    return request.getParam("access_token");
  }
}
