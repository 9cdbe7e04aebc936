package io.switchboard.core.http;

import io.vertx.pgclient.PgException;

/**
 * Turns database failures into API errors. Constraint violations are the caller's doing (4xx); anything else
 * about the database is our unavailability (503, retry), never a stack trace.
 */
public final class PgErrors {

  private PgErrors() {}

  public static Throwable translate(Throwable err) {
    if (err instanceof PgException pg) {
      return switch (pg.getSqlState() == null ? "" : pg.getSqlState()) {
        case "23505" -> new ApiError(409, "already_exists", "a resource with this id already exists");
        case "23503" -> new ApiError(422, "unknown_reference", "the request refers to something that does not exist");
        case "23514" -> new ApiError(409, "constraint_violated", "the change would break a rule of the data: "
            + pg.getConstraint());
        case "22P02", "22003", "22001" -> ApiError.badRequest("a value is out of range or malformed");
        // Any other data exception (a NUL in a text, a time out of range) is the request's value too.
        case String state when state.startsWith("22") -> ApiError.badRequest("a value cannot be stored: "
            + pg.getErrorMessage());
        case "40001", "40P01" -> ApiError.unavailable("the change collided with another one; retry");
        default -> ApiError.unavailable("the database refused the change; retry shortly");
      };
    }
    if (err instanceof ApiError || err instanceof io.switchboard.core.auth.AuthException
        || err instanceof io.vertx.core.json.DecodeException) {
      return err;
    }
    if (err instanceof io.vertx.core.VertxException || err instanceof java.io.IOException) {
      return ApiError.unavailable("the database is unavailable; retry shortly");
    }
    return err;
  }
}
