package io.switchboard.ingest.fix;

import io.switchboard.core.position.Fix;

/**
 * A position as a device sent it, decoded but not yet judged: canonical units (degrees, km/h, metres), NaN for
 * readings it did not send, {@code fixedAtMillis} 0 when it sent no time (the server's clock is used then).
 * {@code error} is set when the point could not be decoded at all; such a point is rejected as {@code invalid}.
 */
public record RawFix(double lat, double lon, long fixedAtMillis, double heading, double speedKmh, double accuracyM,
                     double altitudeM, double battery, String error) {

  public static RawFix invalid(String error) {
    return new RawFix(Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, error);
  }

  public Fix toFix(String driverId, String tenant, long nowMillis) {
    return new Fix(driverId, tenant, fixedAtMillis > 0 ? fixedAtMillis : nowMillis, nowMillis, lat, lon, heading,
        speedKmh, accuracyM, altitudeM, battery, true);
  }
}
