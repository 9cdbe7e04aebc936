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
      c.add(Filters::invalidCoordinates);
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

  static String invalidCoordinates(Fix f, Fix last, long now) {
    boolean bad = !Double.isFinite(f.lat()) || !Double.isFinite(f.lon()) || Math.abs(f.lat()) > 90
        || Math.abs(f.lon()) > 180;
    return bad ? "invalid_coordinates" : null;
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
