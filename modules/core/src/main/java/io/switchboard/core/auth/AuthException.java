package io.switchboard.core.auth;

/** A credential was missing or invalid (401), or valid but not allowed (403). */
public final class AuthException extends RuntimeException {

  private final int status;

  private AuthException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public static AuthException unauthorized(String message) {
    return new AuthException(401, message);
  }

  public static AuthException forbidden(String message) {
    return new AuthException(403, message);
  }

  public int status() {
    return status;
  }
}
