package io.switchboard.ingest.fix;

/**
 * What a position must be to be stored at all, checked for every point of every protocol whatever the filters say
 * (the filters judge what is plausible; these are what PostgreSQL and Redis can hold): coordinates Redis GEO can
 * index, readings that are finite and fit the history's {@code REAL} columns without overflow or underflow, and a
 * time PostgreSQL can store. A value beyond them used to be accepted, fail its whole history batch, and wedge the
 * writer.
 */
public final class FixLimits {

  /** Redis GEO indexes latitudes up to ±85.05112878 (the Web Mercator limit); GEOADD refuses the rest. */
  public static final double MAX_LATITUDE = 85.05112878;
  /** 9999-12-31T23:59:59.999Z. */
  public static final long MAX_TIME_MILLIS = 253_402_300_799_999L;

  /** Why a point cannot be stored: a rejection reason (as the filters name theirs) and a message naming the field. */
  public record Problem(String reason, String message) {}

  private FixLimits() {}

  /** Null when the point can be stored. */
  public static Problem check(RawFix f) {
    if (!(Math.abs(f.lat()) <= MAX_LATITUDE) || !(Math.abs(f.lon()) <= 180)) { // NaN fails both comparisons
      return new Problem("invalid_coordinates", "latitude must be within ±" + MAX_LATITUDE
          + " and longitude within ±180");
    }
    Problem p = reading("heading", f.heading());
    p = p != null ? p : reading("speed", f.speedKmh());
    p = p != null ? p : reading("accuracy", f.accuracyM());
    p = p != null ? p : reading("altitude", f.altitudeM());
    p = p != null ? p : reading("battery", f.battery());
    if (p != null) {
      return p;
    }
    if (f.fixedAtMillis() > MAX_TIME_MILLIS) {
      return new Problem("invalid", "timestamp must be before the year 10000");
    }
    return null;
  }

  /** NaN is a reading the device did not send. */
  private static Problem reading(String name, double v) {
    if (Double.isNaN(v) || fitsReal(v)) {
      return null;
    }
    return new Problem("invalid_reading", name + " " + v + " cannot be stored (a finite number of at most about"
        + " 3.4e38, not closer to zero than about 1e-45)");
  }

  /** Exactly PostgreSQL's test when a float8 becomes a float4: no overflow to infinity, no underflow to zero. */
  static boolean fitsReal(double v) {
    float f = (float) v;
    return Float.isFinite(f) && (v == 0 || f != 0);
  }
}
