package io.switchboard.ingest.fix;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Device timestamps as trackers send them: epoch seconds, epoch milliseconds, or ISO-8601 (with or without an
 * offset; without one it is UTC, as Traccar reads it).
 */
public final class FixTime {

  /** Below this an epoch number is seconds: 10^11 ms is 1973, 10^11 s is the year 5138. */
  private static final double SECONDS_LIMIT = 1e11;

  private FixTime() {}

  /** Epoch milliseconds; throws IllegalArgumentException with a readable reason. */
  public static long parse(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("timestamp is empty");
    }
    if (t.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
      return fromNumber(Double.parseDouble(t));
    }
    try {
      return Instant.parse(t).toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException("timestamp must be epoch seconds, epoch milliseconds or ISO-8601");
      }
    }
  }

  public static long fromNumber(double n) {
    if (!Double.isFinite(n) || n <= 0) {
      throw new IllegalArgumentException("timestamp must be a positive epoch time");
    }
    return n < SECONDS_LIMIT ? Math.round(n * 1000) : Math.round(n);
  }
}
