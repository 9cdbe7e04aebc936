package io.switchboard.ingest.filter;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.position.Fix;
import io.switchboard.core.position.Geo;

import java.util.ArrayList;
import java.util.List;

/**
 * The filter pipeline built from configuration (docs/configuration.md, {@code SB_FILTER_*}), cheapest first.
 * Out-of-order fixes are not rejected here: they are kept for history and only kept off the live streams.
 */
public final class Filters {

  private final List<FixFilter> chain;

  public Filters(SwitchboardConfig.Filters config) {
    List<FixFilter> c = new ArrayList<>();
    if (config.invalid()) {
      c.add(Filters::implausibleReading);
    }
    if (config.zero()) {
      c.add((f, last, now) -> f.lat() == 0 && f.lon() == 0 ? "zero_coordinates" : null);
    }
    long maxFuture = config.maxFuture().toMillis();
    if (maxFuture > 0) {
      c.add((f, last, now) -> f.fixedAtMillis() > now + maxFuture ? "future_timestamp" : null);
    }
    double maxAccuracy = config.maxAccuracyM();
    if (maxAccuracy > 0) {
      c.add((f, last, now) -> f.accuracyM() > maxAccuracy ? "poor_accuracy" : null);
    }
    if (config.duplicates()) {
      c.add(Filters::duplicate);
    }
    double maxSpeed = config.maxSpeedKmh();
    if (maxSpeed > 0) {
      c.add((f, last, now) -> impliedSpeedKmh(last, f) > maxSpeed ? "implied_speed" : null);
    }
    this.chain = List.copyOf(c);
  }

  /** The first rejection reason, or null when the fix passes every filter. */
  public String reject(Fix fix, Fix last, long nowMillis) {
    for (FixFilter f : chain) {
      String reason = f.reject(fix, last, nowMillis);
      if (reason != null) {
        return reason;
      }
    }
    return null;
  }

  /**
   * Readings no device measures: a heading outside 0-360°, a negative or supersonic speed, a negative accuracy, an
   * altitude off the planet, a battery outside 0-100 %. (Coordinates off the earth, and values that cannot be
   * stored, never get this far: {@code FixLimits}.)
   */
  static String implausibleReading(Fix f, Fix last, long now) {
    boolean bad = outside(f.heading(), 0, 360) || outside(f.speedKmh(), 0, 2_000)
        || outside(f.accuracyM(), 0, 1_000_000) || outside(f.altitudeM(), -12_000, 100_000)
        || outside(f.battery(), 0, 100);
    return bad ? "invalid_reading" : null;
  }

  /** A reading that was sent (not NaN) and lies outside [min, max]. */
  private static boolean outside(double v, double min, double max) {
    return !Double.isNaN(v) && (v < min || v > max);
  }

  /** Same time and place as the newest fix: a resend. */
  static String duplicate(Fix f, Fix last, long now) {
    return last != null && last.fixedAtMillis() == f.fixedAtMillis() && last.lat() == f.lat()
        && last.lon() == f.lon() ? "duplicate" : null;
  }

  /** The speed needed to get from {@code last} to {@code f}; 0 when there is nothing to compare. */
  static double impliedSpeedKmh(Fix last, Fix f) {
    if (last == null || f.fixedAtMillis() <= last.fixedAtMillis()) {
      return 0;
    }
    double metres = Geo.distanceM(last.lat(), last.lon(), f.lat(), f.lon());
    double seconds = (f.fixedAtMillis() - last.fixedAtMillis()) / 1000.0;
    return metres / seconds * 3.6;
  }
}
