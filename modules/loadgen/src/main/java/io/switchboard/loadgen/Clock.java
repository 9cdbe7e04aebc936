package io.switchboard.loadgen;

import java.time.Instant;

/** Wall-clock microseconds: publisher and subscribers are separate processes on one machine. */
final class Clock {

  private Clock() {}

  static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
