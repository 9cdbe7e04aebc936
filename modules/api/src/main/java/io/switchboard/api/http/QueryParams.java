package io.switchboard.api.http;

import io.switchboard.core.http.ApiError;
import io.vertx.ext.web.RoutingContext;

/** Paging and other bounded query parameters, answered with 400 when out of range. */
public final class QueryParams {

  private QueryParams() {}

  public static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String raw = ctx.request().getParam(name);
    if (raw == null) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(raw);
      if (v < min || v > max) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name + " must be an integer between " + min + " and " + max);
    }
  }
}
