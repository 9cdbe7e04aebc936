package io.switchboard.ingest.fix;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a position must be to be stored at all, whatever the filters are set to: every value PostgreSQL and Redis
 * would refuse (and that used to wedge the history writer) is refused at the door, with the field named.
 */
class FixLimitsTest {

  private static final long T = 1_700_000_000_000L;

  private static RawFix fix(double lat, double lon, double heading, double speed, double accuracy, double altitude,
                            double battery) {
    return new RawFix(lat, lon, T, heading, speed, accuracy, altitude, battery, null);
  }

  private static String reason(RawFix f) {
    FixLimits.Problem p = FixLimits.check(f);
    return p == null ? null : p.reason();
  }

  @Test
  void a_plain_position_and_absent_readings_pass() {
    assertThat(FixLimits.check(fix(52.52, 13.40, 90, 30, 8, 34, 77))).isNull();
    assertThat(FixLimits.check(fix(-33.9, 151.2, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN)))
        .isNull();
    assertThat(FixLimits.check(fix(85.05112878, -180, 0, 0, 0, 0, 0))).isNull();
  }

  @Test
  void coordinates_outside_what_redis_geo_indexes_are_refused() {
    assertThat(reason(fix(85.06, 13, 0, 0, 0, 0, 0))).isEqualTo("invalid_coordinates");
    assertThat(reason(fix(-89, 13, 0, 0, 0, 0, 0))).isEqualTo("invalid_coordinates");
    assertThat(reason(fix(52, 180.0001, 0, 0, 0, 0, 0))).isEqualTo("invalid_coordinates");
    assertThat(reason(fix(Double.NaN, 13, 0, 0, 0, 0, 0))).isEqualTo("invalid_coordinates");
    assertThat(reason(fix(52, Double.POSITIVE_INFINITY, 0, 0, 0, 0, 0))).isEqualTo("invalid_coordinates");
  }

  @Test
  void readings_postgresql_cannot_store_are_refused_with_the_field_named() {
    double[] bad = {1e300, -1e300, 1e-300, -1e-300, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e39};
    String[] fields = {"heading", "speed", "accuracy", "altitude", "battery"};
    for (double v : bad) {
      for (int i = 0; i < fields.length; i++) {
        double[] r = {0, 0, 0, 0, 0};
        r[i] = v;
        FixLimits.Problem p = FixLimits.check(fix(52, 13, r[0], r[1], r[2], r[3], r[4]));
        assertThat(p).as(fields[i] + " = " + v).isNotNull();
        assertThat(p.reason()).isEqualTo("invalid_reading");
        assertThat(p.message()).contains(fields[i]);
      }
    }
    assertThat(FixLimits.check(fix(52, 13, 0, -0.0, 1e-40, 0, 0))).as("zero and tiny values a REAL holds").isNull();
  }

  @Test
  void a_time_postgresql_cannot_store_is_refused() {
    assertThat(reason(new RawFix(52, 13, Long.MAX_VALUE, 0, 0, 0, 0, 0, null))).isEqualTo("invalid");
    assertThat(reason(new RawFix(52, 13, 253_402_300_800_000L, 0, 0, 0, 0, 0, null))).isEqualTo("invalid");
    assertThat(reason(new RawFix(52, 13, 0, 0, 0, 0, 0, 0, null))).as("no time: the server's").isNull();
  }
}
