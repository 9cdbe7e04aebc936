package io.switchboard.core.http;

/** A request that cannot be served, with the HTTP status, a stable error code and a human message. */
public final class ApiError extends RuntimeException {

  private final int status;
  private final String code;

  public ApiError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, "bad_request", message);
  }

  public static ApiError unavailable(String message) {
    return new ApiError(503, "unavailable", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
