package io.switchboard.api.http;

import io.switchboard.core.http.ApiError;
import io.vertx.ext.web.RoutingContext;

/**
 * Optimistic concurrency: {@code If-Match: "<version>"} (as sent in the ETag). Absent means the caller does not
 * ask for a check (the seed apps send none); present and stale means 412, so two editors cannot silently
 * overwrite each other.
 */
public final class IfMatch {

  private IfMatch() {}

  /** The expected version, or null when the request has no If-Match. */
  public static Integer of(RoutingContext ctx) {
    String raw = ctx.request().getHeader("If-Match");
    if (raw == null || raw.isBlank() || raw.trim().equals("*")) {
      return null;
    }
    String v = raw.trim();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    v = v.replace("\"", "");
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("If-Match must be a version as sent in the ETag, e.g. \"3\"");
    }
  }

  public static void check(Integer expected, int current) {
    if (expected != null && expected != current) {
      throw new ApiError(412, "precondition_failed",
          "the resource was changed by someone else (version " + current + ", you sent " + expected
              + "); reload and retry");
    }
  }
}
