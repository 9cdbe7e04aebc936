package io.switchboard.gateway.resume;

import io.switchboard.core.http.ApiError;

/**
 * The position a subscriber asks to resume after, as a request gives it (a {@code Last-Event-ID} header, a
 * {@code ?lastEventId=} parameter): a non-negative sequence number, or null for "from now". Streams and polls read
 * it alike; which of the two places wins is theirs to say.
 */
public final class ResumePosition {

  private ResumePosition() {}

  /**
   * The first of {@code first} and {@code second} that is not blank, as a position; null when neither is given.
   * Throws a 400 naming {@code name} for anything but a non-negative integer.
   */
  public static Long parse(String first, String second, String name) {
    String raw = first == null || first.isBlank() ? second : first;
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      long id = Long.parseLong(raw.trim());
      if (id < 0) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name + " must be a non-negative event sequence number");
    }
  }
}
