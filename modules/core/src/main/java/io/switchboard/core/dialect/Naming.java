package io.switchboard.core.dialect;

import io.switchboard.core.http.ApiError;

/**
 * How frames name their event. {@code MESSAGE}: no {@code event:} line, so {@code onmessage} sees every event.
 * {@code NAMED}: {@code event: <type>}, for {@code addEventListener('<type>')}. {@code BOTH}: each event is sent
 * as both frames (same id), so pages that mix the two styles, as the shop seed's do, work unchanged.
 */
public enum Naming {
  MESSAGE, NAMED, BOTH;

  /** The {@code events} query parameter ({@code message}, {@code named}, {@code both}); null keeps the default. */
  public static Naming parse(String raw, Naming fallback) {
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    return switch (raw.trim().toLowerCase()) {
      case "message" -> MESSAGE;
      case "named" -> NAMED;
      case "both" -> BOTH;
      default -> throw ApiError.badRequest("events must be one of message, named, both");
    };
  }
}
